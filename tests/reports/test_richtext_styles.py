"""The sanitiser keeps the two paragraph styles (and no other value) and lists nested in list
items, as the editor writes them."""

from __future__ import annotations

import pytest

from reports import richtext
from reports.suggesting import changes

CHANGE = 'data-change="abcdefgh12" data-author="3" data-time="2026-01-01T10:00:00Z"'


@pytest.mark.parametrize("style", ["finding", "learning-point"])
def test_a_paragraph_keeps_its_style(style: str):
    assert richtext.sanitise(f'<p data-style="{style}">The panel found.</p>') == (
        f'<p data-style="{style}">The panel found.</p>'
    )


@pytest.mark.parametrize(
    "markup",
    [
        '<p data-style="warning">Text.</p>',
        '<p data-style="Finding">Text.</p>',
        '<p data-style="finding learning-point">Text.</p>',
        '<p data-style="">Text.</p>',
        '<p style="color:red" data-style="x" onclick="alert(1)">Text.</p>',
    ],
)
def test_any_other_style_is_dropped(markup: str):
    assert richtext.sanitise(markup) == "<p>Text.</p>"


def test_a_style_only_on_a_paragraph():
    assert richtext.sanitise('<h2 data-style="finding">Title</h2><ul><li data-style="finding">One</li></ul>') == (
        "<h2>Title</h2><ul><li>One</li></ul>"
    )


def test_a_suggested_styled_paragraph_keeps_its_change_first():
    """reports.suggesting and has_pending read a change's attributes first on its element."""
    cleaned = richtext.sanitise(f'<p data-style="finding" {CHANGE}><ins {CHANGE}>New.</ins></p>')
    assert cleaned == f'<p {CHANGE} data-style="finding"><ins {CHANGE}>New.</ins></p>'
    assert richtext.has_pending(cleaned) and changes(cleaned) == {"abcdefgh12": 3}
    assert richtext.accepted(cleaned) == ""


def test_lists_nest_four_deep_in_list_items():
    nested = (
        "<ol><li>One<ul><li>One a<ol><li>One a i<ul><li>Deepest</li></ul></li></ol></li></ul></li><li>Two</li></ol>"
    )
    assert richtext.sanitise(nested) == nested
    blocks = richtext.blocks(richtext.sanitise(nested))
    assert [b.tag for b in blocks] == ["ol"] and blocks[0].text == "One One a One a i Deepest Two"
    assert richtext.nesting_depth(nested) <= richtext.MAX_NESTING


def test_the_editors_nested_list_with_paragraphs_in_items():
    """The editor writes an item holding a paragraph and a list as <li><p>..</p><ul>..</ul></li>."""
    markup = "<ul><li><p>Parent</p><ul><li>Child</li></ul></li></ul>"
    assert richtext.sanitise(markup) == markup


def test_a_data_block_token_is_kept_as_a_paragraph():
    assert richtext.sanitise("<p>[[data:episode-chronology:12]]</p>") == "<p>[[data:episode-chronology:12]]</p>"
