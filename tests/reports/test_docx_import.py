"""Reading a Word file into sections (reports.docx_import): headings, paragraphs, lists, tables,
formatting, links, footnotes, paragraph numbers, what is not kept, and files it refuses."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from reports import richtext
from reports.docx_import import DocxError, parse_docx, title_key
from tests.reports.docx_import_files import (
    PNG,
    add_link,
    add_numbered,
    add_tracked,
    new_document,
    numbering_definitions,
    saved,
    style,
    words,
    zip_of,
)

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "seed002_libreoffice.docx"
SEED_002_CHAPTERS = ["INTRODUCTION", "THE SURVIVING FAMILY", "THE FACTS", "ANALYSIS", "LEARNING", "RECOMMENDATIONS"]


def test_heading_1_starts_a_section_and_headings_2_to_4_are_its_sub_headings():
    document = new_document()
    document.add_paragraph("Cover page: the death of a woman", style="Title")
    document.add_paragraph("Reference NDHR-01")
    document.add_heading("1. Introduction", level=1)
    document.add_paragraph("First paragraph.")
    document.add_heading("1.2 Terms of reference", level=2)
    document.add_heading("Scope", level=3)
    document.add_heading("Detail", level=4)
    document.add_paragraph("Under the detail.")
    document.add_heading("2. Analysis", level=1)
    document.add_paragraph("Second section.")
    parsed = parse_docx(saved(document))
    assert [s.title for s in parsed.sections] == ["Introduction", "Analysis"]
    assert parsed.sections[0].html == (
        "<p>First paragraph.</p><h2>Terms of reference</h2><h3>Scope</h3><h4>Detail</h4><p>Under the detail.</p>"
    )
    assert parsed.skipped == ["Cover page (2 paragraphs)"]


def test_a_file_whose_top_headings_are_heading_2_takes_them_as_sections():
    document = new_document()
    document.add_heading("Background", level=2)
    document.add_heading("Early years", level=3)
    document.add_paragraph("Text.")
    parsed = parse_docx(saved(document))
    assert [s.title for s in parsed.sections] == ["Background"]
    assert parsed.sections[0].html == "<h2>Early years</h2><p>Text.</p>"


def test_typed_and_word_paragraph_numbers_are_dropped_but_numbered_lists_are_kept():
    document = new_document()
    numbering_definitions(document)
    style(document, "Numbered Paragraph")
    document.add_heading("3. Analysis", level=1)
    document.add_paragraph("3.2\tTyped with a tab.")
    document.add_paragraph("12. Typed with a full stop.")
    document.add_paragraph("12 children were seen.")  # a number that is the text's own
    add_numbered(document, "Numbered by Word.", num_id=8, style="Numbered Paragraph")
    add_numbered(document, "First item", num_id=8, style="List Paragraph")
    add_numbered(document, "Second item", num_id=8, style="List Paragraph")
    html = parse_docx(saved(document)).sections[0].html
    assert html == (
        "<p>Typed with a tab.</p><p>Typed with a full stop.</p><p>12 children were seen.</p>"
        "<p>Numbered by Word.</p><ol><li>First item</li><li>Second item</li></ol>"
    )


def test_lists_nest_by_level_as_bullets_and_numbers():
    document = new_document()
    numbering_definitions(document)
    document.add_heading("Lessons", level=1)
    document.add_paragraph("Top bullet", style="List Bullet")
    document.add_paragraph("Nested bullet", style="List Bullet 2")
    add_numbered(document, "Nested by numPr", ilvl=1, num_id=7)
    document.add_paragraph("Back at the top", style="List Bullet")
    document.add_paragraph("A numbered one", style="List Number")
    document.add_paragraph("After the list.")
    html = parse_docx(saved(document)).sections[0].html
    assert html == (
        "<ul><li>Top bullet<ul><li>Nested bullet</li><li>Nested by numPr</li></ul></li><li>Back at the top</li></ul>"
        "<ol><li>A numbered one</li></ol><p>After the list.</p>"
    )
    # The sanitiser keeps the nesting (contract item 2).
    assert richtext.sanitise(html).count("<ul>") == 2


def test_tables_keep_their_header_row_and_formatting_links_and_block_styles_are_kept():
    document = new_document()
    style(document, "Finding")
    style(document, "Learning Point")
    document.add_heading("Findings", level=1)
    paragraph = document.add_paragraph()
    paragraph.add_run("Bold").bold = True
    paragraph.add_run(" and ")
    paragraph.add_run("italic").italic = True
    paragraph.add_run(" and ")
    paragraph.add_run("underlined").underline = True
    paragraph.add_run(", see ")
    add_link(paragraph, "the guidance", "https://www.gov.uk/dhr")
    document.add_paragraph("Agencies did not share information.", style="Finding")
    document.add_paragraph("Share risk early.", style="Learning Point")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ["Agency", "Role", "Police", "Lead"], strict=True):
        cell.text = text
    html = parse_docx(saved(document)).sections[0].html
    assert (
        '<p><strong>Bold</strong> and <em>italic</em> and <u>underlined</u>, see <a href="https://www.gov.uk/dhr">'
        "<u>the guidance</u></a></p>"
    ) in html
    assert '<p data-style="finding">Agencies did not share information.</p>' in html
    assert '<p data-style="learning-point">Share risk early.</p>' in html
    assert html.endswith(
        "<table><thead><tr><th>Agency</th><th>Role</th></tr></thead><tbody><tr><td>Police</td><td>Lead</td></tr>"
        "</tbody></table>"
    )


def test_a_script_link_keeps_its_text_and_loses_its_address_in_the_sanitiser():
    document = new_document()
    document.add_heading("Links", level=1)
    paragraph = document.add_paragraph("Click ")
    add_link(paragraph, "here", "javascript:alert(1)")
    html = parse_docx(saved(document)).sections[0].html
    clean = richtext.sanitise(html)
    assert "javascript" not in clean and "here" in clean


def test_what_cannot_be_kept_is_counted_where_it_is_and_tracked_changes_are_accepted():
    document = new_document()
    document.add_heading("Background", level=1)
    paragraph = document.add_paragraph("Kept text")
    add_tracked(paragraph, " inserted", " deleted")
    document.add_paragraph().add_run().add_picture(io.BytesIO(PNG))
    commented = document.add_paragraph("Commented on.")
    document.add_comment(commented.runs, text="Check this", author="Panel")
    document.add_heading("Analysis", level=1)
    document.add_paragraph().add_run().add_picture(io.BytesIO(PNG))
    parsed = parse_docx(saved(document))
    assert parsed.sections[0].html == "<p>Kept text inserted</p><p>Commented on.</p>"
    assert parsed.not_kept == {
        ("inserted text of a tracked change (accepted)", "Background"): 1,
        ("deleted text of a tracked change (dropped)", "Background"): 1,
        ("picture", "Background"): 1,
        ("comment", "Background"): 1,
        ("picture", "Analysis"): 1,
    }


def test_the_glossary_contents_and_appendices_casereview_writes_are_not_sections():
    document = new_document()
    document.add_paragraph("Contents", style="TOC Heading")
    document.add_heading("Glossary", level=1)
    table = document.add_table(rows=3, cols=2)
    table.rows[1].cells[0].text = "DASH"
    document.add_heading("1. Introduction", level=1)
    document.add_paragraph("Text.")
    document.add_heading("Appendix A: Integrated chronology", level=1)
    document.add_paragraph("Version 1 of the integrated chronology.")
    parsed = parse_docx(saved(document))
    assert [s.title for s in parsed.sections] == ["Introduction"]
    assert parsed.skipped == ["Contents list", "Glossary (2 entries)", "Appendix A: Integrated chronology (1 entry)"]


def test_titles_match_without_numbers_case_or_punctuation():
    assert title_key("3. Analysis") == title_key("analysis") == "analysis"
    assert title_key("3.2 Key episodes:") == "key episodes"
    assert title_key("1.  BACKGROUND information (the facts)") == "background information the facts"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7 not a zip", "not a zip package"),
        (zip_of({"content.xml": b"<x/>"}), "no word/document.xml"),
        (zip_of({"word/document.xml": b"<w:document"}), "not well-formed"),
    ],
)
def test_files_that_are_not_word_documents_are_refused_saying_what_is_wrong(data, message):
    with pytest.raises(DocxError, match=message):
        parse_docx(data)


def test_a_word_file_without_headings_is_refused_with_what_to_do():
    document = new_document()
    document.add_paragraph("Only a paragraph.")
    with pytest.raises(DocxError, match="no headings.*Heading 1"):
        parse_docx(saved(document))


def test_the_libreoffice_file_of_seed_002_lands_95_percent_of_its_words_in_the_right_sections():
    """tests/fixtures/seed002_libreoffice.docx: seed 002 converted by LibreOffice (README.md). The
    words of each chapter as python-docx reads them, against the words the import puts there."""
    data = FIXTURE.read_bytes()
    parsed = parse_docx(data)
    assert [s.title for s in parsed.sections] == SEED_002_CHAPTERS
    expected: dict[str, object] = {}
    current = None
    for paragraph in docx.Document(io.BytesIO(data)).paragraphs:
        if paragraph.style.name == "Heading 1":
            current = paragraph.text.split(". ", 1)[-1].rstrip(".")
            expected[current] = words("")
        elif current is not None:
            expected[current] += words(paragraph.text)  # type: ignore[operator]
    total = sum(sum(c.values()) for c in expected.values())  # type: ignore[attr-defined]
    landed = sum(
        sum((words(richtext.plain_text(s.html)) & expected[s.title]).values())  # type: ignore[operator]
        for s in parsed.sections
    )
    assert total > 20_000
    assert landed / total >= 0.95
    first = parsed.sections[0].html
    assert "<h2>Summary of the circumstances leading to the Review</h2>" in first
    assert "<p>The tragic death of the victim in August 2012" in first  # "1. " typed before it: dropped
    assert "<ul><li>" in first and "<strong>Key Lines of Enquiry</strong>" in first
