"""Section text: what survives sanitising, and the block, redaction and reference helpers."""

from __future__ import annotations

import pytest

from reports import redactions, richtext

# Payloads that must never reach a page, a PDF or a Word file, typed or pasted.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<p onclick="alert(1)">text</p>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://example.com"></iframe>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="x.swf"></object>',
    '<form action="https://example.com"><button>go</button></form>',
    "<!--<script>alert(1)</script>-->",
    '<span class="redaction" onmouseover="alert(1)">x</span>',
    '<base href="https://example.com/">',
    '<meta http-equiv="refresh" content="0;url=https://example.com">',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitise_removes_every_script_handler_and_dangerous_url(payload: str):
    clean = richtext.sanitise(f"<p>Before</p>{payload}<p>After</p>").lower()
    for forbidden in ("<script", "onerror", "onclick", "onload", "onmouseover", "javascript:", "data:", "<iframe",
                      "<style", "style=", "<svg", "<object", "<form", "<base", "<meta", "<!--"):  # fmt: skip
        assert forbidden not in clean, f"{forbidden!r} survived in {clean!r}"
    assert "before" in clean


def test_sanitise_keeps_the_formatting_a_report_needs():
    value = (
        "<h2>Heading</h2><h3>Sub</h3><p><strong>bold</strong> <em>it</em> <u>u</u> "
        '<a href="https://www.gov.uk/x">link</a></p><ul><li>one</li></ul><ol><li>two</li></ol>'
        "<blockquote>quote</blockquote><table><tbody><tr><td>cell</td></tr></tbody></table>"
        '<p><span class="redaction">secret</span></p>'
    )
    clean = richtext.sanitise(value)
    for kept in ("<h2>Heading</h2>", "<h3>Sub</h3>", "<strong>bold</strong>", "<em>it</em>", "<u>u</u>",
                 '<a href="https://www.gov.uk/x" rel="noopener noreferrer">link</a>', "<ul><li>one</li></ul>",
                 "<ol><li>two</li></ol>", "<blockquote>quote</blockquote>", "<td>cell</td>",
                 '<span class="redaction">secret</span>'):  # fmt: skip
        assert kept in clean


def test_sanitise_cleans_what_word_and_the_editor_paste():
    word = (
        '<p class="MsoNormal" style="margin:0cm"><b>Key</b>&nbsp;<i>episode</i><o:p></o:p></p>'
        '<h1 style="mso-list:l0">Title</h1><ol><li data-list="bullet">point</li></ol>'
        '<span class="MsoFootnoteReference">1</span>'
    )
    clean = richtext.sanitise(word)
    assert clean == "<p><strong>Key</strong> <em>episode</em></p><h2>Title</h2><ul><li>point</li></ul><p>1</p>"


def test_sanitise_drops_empty_paragraphs_at_either_end_only():
    assert richtext.sanitise("<p><br></p><p>One</p><p><br></p><p>Two</p><p></p>") == "<p>One</p><p><br></p><p>Two</p>"


def test_blocks_are_the_top_level_elements_and_stray_text_becomes_a_paragraph():
    blocks = richtext.blocks("loose <em>words</em><p>Para</p><ul><li>a</li><li>b</li></ul>")
    assert [(b.tag, b.text) for b in blocks] == [("p", "loose words"), ("p", "Para"), ("ul", "a b")]
    assert blocks[0].html == "<p>loose <em>words</em></p>"
    assert [b.is_paragraph for b in blocks] == [True, True, False]


def test_blocks_close_markup_left_open_rather_than_lose_the_text():
    blocks = richtext.blocks("<p>Unclosed <strong>bold")
    assert blocks[0].html == "<p>Unclosed <strong>bold</strong></p>"


def test_text_map_rewrites_text_and_keeps_markup_escaped():
    value = "<p>Jade &amp; <strong>Jade</strong> &lt;x&gt;</p>"
    assert richtext.text_map(value, lambda t: t.replace("Jade", "the victim")) == (
        "<p>the victim &amp; <strong>the victim</strong> &lt;x&gt;</p>"
    )


def test_a_redacted_passage_becomes_one_marker_even_when_split_by_formatting():
    value = (
        '<p>Seen <span class="redaction">at the <strong>refuge</strong></span>'
        '<strong><span class="redaction"> in Leeds</span></strong> on Monday.</p>'
        '<p><span class="redaction">Another</span></p>'
    )
    removed = redactions.redactions_remove(value)
    assert "refuge" not in removed and "Leeds" not in removed and "Another" not in removed
    assert removed.count("[Redacted]") == 2
    assert list(redactions.redacted_passages(value)) == ["at the refuge", " in Leeds", "Another"]


def test_references_are_found_in_order():
    value = "<p>See [[entry:41]] and [[imr:3]]; [[term:MARAC]] and [[bogus:1]] [[entry:]].</p>"
    assert richtext.references(value) == [("entry", "41"), ("imr", "3"), ("term", "MARAC")]


@pytest.mark.parametrize("tab", ["\t", "&#9;", "&#x9;", "&Tab;"])
def test_a_tab_in_the_text_is_kept_as_a_space(tab):
    """Tab moves between controls in the editor; a tab pasted or stored earlier is a space."""
    assert richtext.sanitise(f"<p>Risk{tab}assessment</p>") == "<p>Risk assessment</p>"
