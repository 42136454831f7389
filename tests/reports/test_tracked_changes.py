"""Tracked changes in section text: what the sanitiser keeps of them (every value checked), and
the accepted text every output shows (pending insertions gone, pending deletions' text kept)."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports import markup, richtext

CHANGE = 'data-change="c0ffee-1234" data-author="12" data-time="2026-12-03T20:45:00Z"'
ANCHOR = "0f8fad5b-d9cb-469f-a165-70867728950e"


def _words(html: str) -> list[str]:
    return re.findall(r"\b[kd]\d+\b", richtext.plain_text(html))


# --- markup made at random: every word is "k<n>" (in the accepted text) or "d<n>" (suggested) ---


class _Words:
    def __init__(self) -> None:
        self.count = 0

    def next(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"


INLINE = ["strong", "em", "u", "s", "sub", "sup", "redaction", "comment", "format", "del", "ins", "plain-span"]


def _inline(draw, words: _Words, depth: int, inserted: bool) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        if depth >= 4 or draw(st.booleans()):
            parts.append(words.next("d" if inserted else "k") + " ")
            continue
        kind = draw(st.sampled_from(INLINE))
        inside = _inline(draw, words, depth + 1, inserted or kind == "ins")
        if kind == "redaction":
            parts.append(f'<span class="redaction">{inside}</span>')
        elif kind == "comment":
            anchor = uuid.UUID(int=draw(st.integers(0, 2**64)), version=4)
            parts.append(f'<span data-comment="{anchor}">{inside}</span>')
        elif kind == "format":
            fmt = draw(st.sampled_from(["+strong", "-em", "+u -s", "+sub"]))
            parts.append(f'<span {CHANGE} data-format="{fmt}">{inside}</span>')
        elif kind in ("del", "ins"):
            parts.append(f"<{kind} {CHANGE}>{inside}</{kind}>")
        elif kind == "plain-span":
            parts.append(f'<span class="MsoNormal" lang="en">{inside}</span>')
        else:
            parts.append(f"<{kind}>{inside}</{kind}>")
    return "".join(parts)


@st.composite
def tracked_sections(draw) -> str:
    words = _Words()
    html = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["p", "inserted-p", "h3", "list", "table"]))
        if kind == "inserted-p":  # a paragraph the suggester added with Enter
            html.append(f"<p {CHANGE}><ins {CHANGE}>{_inline(draw, words, 2, True)}</ins></p>")
        elif kind == "list":
            items = []
            for _ in range(draw(st.integers(1, 3))):
                if draw(st.booleans()):
                    items.append(f"<li {CHANGE}><ins {CHANGE}>{_inline(draw, words, 2, True)}</ins></li>")
                else:
                    items.append(f"<li>{_inline(draw, words, 1, False)}</li>")
            html.append(f"<ul>{''.join(items)}</ul>")
        elif kind == "table":
            html.append(f"<table><tbody><tr><td>{_inline(draw, words, 2, False)}</td></tr></tbody></table>")
        else:
            tag = "p" if kind == "p" else "h3"
            html.append(f"<{tag}>{_inline(draw, words, 0, False)}</{tag}>")
    return "".join(html)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracked_sections())
def test_the_accepted_text_has_no_pending_insertion_and_every_deleted_word(html: str):
    stored = richtext.sanitise(html)
    result = richtext.accepted(stored)
    expected = [word for word in re.findall(r"\b[kd]\d+\b", html) if word.startswith("k")]
    assert _words(result) == expected  # every word outside an insertion, in order; none inside one
    for pending in ("<ins", "<del", "data-change", "data-comment", "data-format", "data-author"):
        assert pending not in result
    assert result.count('class="redaction"') <= stored.count('class="redaction"')
    assert richtext.accepted(result) == result  # idempotent
    assert richtext.accepted(stored) == result  # pure: the same text, the same answer


def test_accepting_leaves_the_marks_a_word_had_and_drops_what_was_only_suggested():
    stored = richtext.sanitise(
        f'<p>A <span {CHANGE} data-format="+strong">plain</span> and <em><span {CHANGE} '
        f'data-format="-em">slanted</span></em> <del {CHANGE}>old</del><ins {CHANGE}>new</ins> word.</p>'
        f"<p {CHANGE}><ins {CHANGE}>A whole new paragraph.</ins></p>"
        f'<p><span class="redaction" data-comment="{ANCHOR}">Named</span> <strong><ins {CHANGE}>x</ins></strong></p>'
    )
    assert richtext.accepted(stored) == (
        '<p>A plain and <em>slanted</em> old word.</p><p><span class="redaction">Named</span> </p>'
    )


def test_text_without_tracked_changes_is_its_own_accepted_text():
    value = '<p>One <strong>two</strong> <span class="redaction">three</span>.</p><ul><li>four</li></ul>'
    assert richtext.accepted(value) is value
    assert richtext.accepted("") == ""


# --- the sanitiser ---


def test_sanitise_keeps_the_tracked_changes_markup_exactly():
    value = (
        f"<p>Kept <ins {CHANGE}>added</ins> <del {CHANGE}>removed</del> "
        f'<span {CHANGE} data-format="+strong -em">bolder</span> <span data-comment="{ANCHOR}">noted</span></p>'
        f"<h3 {CHANGE}><ins {CHANGE}>New heading</ins></h3>"
        f"<ul><li {CHANGE}><ins {CHANGE}>New item</ins></li></ul>"
    )
    assert richtext.sanitise(value) == value
    assert richtext.sanitise(richtext.sanitise(value)) == value


def test_a_deletion_without_a_change_is_struck_through_as_word_pastes_it():
    assert richtext.sanitise("<p><del>gone</del> <strike>too</strike></p>") == "<p><s>gone</s> <s>too</s></p>"
    assert richtext.sanitise('<p><del data-change="abc">x</del></p>') == "<p><s>x</s></p>"


@pytest.mark.parametrize(
    "attrs",
    [
        'data-change="short" data-author="12" data-time="2026-12-03T20:45:00Z"',  # id under 8 characters
        'data-change="c0ffee 1234" data-author="12" data-time="2026-12-03T20:45:00Z"',  # a space
        'data-change="c0ffee-1234&quot;onclick=x" data-author="12" data-time="2026-12-03T20:45:00Z"',
        f'data-change="{"a" * 37}" data-author="12" data-time="2026-12-03T20:45:00Z"',  # too long
        'data-change="c0ffee-1234" data-author="Jane" data-time="2026-12-03T20:45:00Z"',  # a name, not a pk
        'data-change="c0ffee-1234" data-author="-1" data-time="2026-12-03T20:45:00Z"',
        'data-change="c0ffee-1234" data-author="12" data-time="3 December 2026"',
        'data-change="c0ffee-1234" data-author="12" data-time="2026-12-03T20:45:00.123Z"',
        'data-change="c0ffee-1234" data-author="12" data-time="2026-12-03T20:45:00+01:00"',
        'data-change="c0ffee-1234" data-author="12"',  # no time
        'data-change="c0ffee-1234" data-author="12" data-time="9999-99-99T99:99:99Z"',  # no such time
        'data-change="c0ffee-1234" data-author="12" data-time="2026-13-03T20:45:00Z"',
        'data-change="c0ffee-1234" data-author="12" data-time="2026-12-03T24:00:00Z"',
    ],
)
def test_a_change_with_any_value_not_valid_loses_its_attributes_and_keeps_its_text(attrs: str):
    clean = richtext.sanitise(
        f'<p {attrs}>A <ins {attrs}>added</ins> <del {attrs}>gone</del> <span {attrs} data-format="+em">f</span></p>'
    )
    assert clean == "<p>A added <s>gone</s> f</p>"
    assert "data-" not in clean


@pytest.mark.parametrize(
    "value",
    ["+bold", "strong", "+strong  -em", "+strong,-em", "+a", "+strong -em onclick", "", "+script"],
)
def test_a_format_change_not_in_the_list_of_marks_is_dropped(value: str):
    assert richtext.sanitise(f'<p><span {CHANGE} data-format="{value}">x</span></p>') == "<p>x</p>"


@pytest.mark.parametrize(
    "anchor",
    [
        ANCHOR.upper(),  # lowercase only
        "0f8fad5b-d9cb-169f-a165-70867728950e",  # not version 4
        "0f8fad5bd9cb469fa16570867728950e",  # no dashes
        "not-a-uuid",
        ANCHOR + "0",
    ],
)
def test_a_comment_anchor_that_is_not_a_uuid4_is_dropped(anchor: str):
    assert richtext.sanitise(f'<p><span data-comment="{anchor}">x</span></p>') == "<p>x</p>"


def test_other_attributes_on_the_new_markup_are_dropped():
    clean = richtext.sanitise(
        f'<p><ins {CHANGE} data-user="Jane" title="t" style="color:red">a</ins>'
        f'<span data-comment="{ANCHOR}" data-quote="secret" class="redaction other">b</span></p>'
    )
    assert clean == (f'<p><ins {CHANGE}>a</ins><span data-comment="{ANCHOR}" class="redaction">b</span></p>')
    assert richtext.sanitise('<table><tbody><tr><td data-change="c0ffee-1234">x</td></tr></tbody></table>') == (
        "<table><tbody><tr><td>x</td></tr></tbody></table>"
    )


def _parsed(value: str) -> list[markup.Token]:
    parser = markup._Tokenizer()
    parser.feed(value)
    parser.close()
    return parser.tokens


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracked_sections(), st.sampled_from(["", "&amp; &lt;b&gt; café", '<a href="https://x.org/?a=1&amp;b=2">l</a>']))
def test_clean_text_is_read_as_the_html_parser_reads_it(html: str, extra: str):
    """Stored text is read by a regular expression (fast); it must read exactly as the parser."""
    stored = richtext.sanitise(html.replace("</p>", f"{extra}</p>", 1))
    assert markup._clean_tokens(stored) == _parsed(stored)


@pytest.mark.parametrize("value", ["<P>Upper</P>", "<p>1 < 2</p>", "<td nowrap>x</td>", "<!-- c --><p>x</p>",
                                   "<script><p>x</p></script>", "<p title='x'>y</p>"])  # fmt: skip
def test_text_not_as_the_sanitiser_writes_it_is_read_by_the_html_parser(value: str):
    assert markup._clean_tokens(value) is None
    assert richtext.tokens(value) == _parsed(value)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tracked_sections())
def test_the_accepted_text_block_by_block_is_the_accepted_text(html: str):
    stored = richtext.sanitise(html)
    assert "".join(richtext.accepted_blocks(stored)) == richtext.accepted(stored)
