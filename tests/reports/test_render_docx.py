"""The Word file: real headings, numbered paragraphs, footnotes, tables, a contents field and
the running header and footer, read back with python-docx and from its XML."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn

from reports import docx_import, render
from reports.docx_render import document_docx
from reports.models import Document, GlossaryTerm
from reviews.models import Imr
from tests.reports.render_fixtures import make_document, paragraphs
from tests.reports.test_docx_output import _parts, _word_numbers

pytestmark = pytest.mark.django_db


def _docx(document: Document, *, publication: bool = False) -> bytes:
    return document_docx(render.render_input(document, publication=publication))


def _xml(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode()


def test_sections_are_word_headings_numbered_by_word_as_the_composer_numbers_them(world):
    sections = [("Introduction", paragraphs(2)), ("Background", "<h3>The family</h3>" + paragraphs(3))]
    data = _docx(make_document(world, sections=sections))
    word = WordDocument(io.BytesIO(data))
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    # The numbers are Word's (a list), not typed: an h3 straight under a section is a level-2 heading.
    assert headings == [("Heading 1", "Introduction"), ("Heading 1", "Background"), ("Heading 2", "The family")]
    assert _word_numbers(_parts(data)) == ["1.", "1.1", "1.2", "2.", "2.1", "2.1.1", "2.1.2", "2.1.3"]


def test_continuous_numbering_is_kept_in_word(world):
    sections = [("One", paragraphs(2)), ("Two", paragraphs(2))]
    document = make_document(world, sections=sections, numbering=Document.Numbering.CONTINUOUS)
    assert _word_numbers(_parts(_docx(document))) == ["1.", "1", "2", "2.", "3", "4"]


def test_references_are_word_footnotes(world):
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.SUBMITTED)  # only a submitted IMR is cited
    body = f"<p>The police attended [[entry:{world.entry_a.pk}]] twice [[entry:{world.entry_a.pk}]].</p>"
    data = _docx(make_document(world, sections=[("Background", body)]))
    document_xml = _xml(data, "word/document.xml")
    assert document_xml.count('<w:footnoteReference w:id="1"/>') == 1  # a second citation repeats the number
    footnotes = _xml(data, "word/footnotes.xml")
    assert re.search(r'<w:footnote w:id="1">.*Chronology, Northshire Police', footnotes)
    assert "footnotes.xml" in _xml(data, "word/_rels/document.xml.rels")
    assert "wordprocessingml.footnotes+xml" in _xml(data, "[Content_Types].xml")


def test_a_link_keeps_its_address_as_a_word_hyperlink_and_a_round_trip_brings_it_back(world):
    body = (
        '<p>See <a href="https://www.gov.uk/guidance/dhr">the <strong>statutory</strong> guidance</a> and'
        ' write to <a href="mailto:reviews@example.org">the team</a>.</p>'
    )
    data = _docx(make_document(world, sections=[("Background", body)]))
    word = WordDocument(io.BytesIO(data))
    targets = {rel.rId: rel.target_ref for rel in word.part.rels.values() if rel.is_external}
    links = word.element.body.findall(".//" + qn("w:hyperlink"))
    external = [
        (targets[link.get(qn("r:id"))], "".join(t.text for t in link.iter(qn("w:t"))))
        for link in links
        if link.get(qn("r:id"))
    ]
    assert external == [
        ("https://www.gov.uk/guidance/dhr", "the statutory guidance"),
        ("mailto:reviews@example.org", "the team"),
    ]
    body_text = next(p.text for p in word.paragraphs if p.text.startswith("See"))
    assert body_text == "See the statutory guidance and write to the team."
    imported = docx_import.parse_docx(data)
    html = "".join(section.html for section in imported.sections)
    assert '<a href="https://www.gov.uk/guidance/dhr">' in html and '<a href="mailto:reviews@example.org">' in html


def test_contents_is_a_toc_field_word_updates_on_opening(world):
    data = _docx(make_document(world))
    document_xml = _xml(data, "word/document.xml")
    assert re.search(r'<w:instrText[^>]*> TOC \\o "1-2" \\h \\z \\u </w:instrText>', document_xml)
    assert '<w:updateFields w:val="true"/>' in _xml(data, "word/settings.xml")


def test_glossary_and_recommendations_are_tables_with_a_repeating_header(world):
    GlossaryTerm.objects.create(review=world.review, abbreviation="MARAC", expansion="Multi-Agency Risk Assessment")
    # The glossary lists the terms the document uses.
    word = WordDocument(io.BytesIO(_docx(make_document(world, sections=[("Introduction", "<p>The MARAC met.</p>")]))))
    glossary = word.tables[0]
    assert [c.text for c in glossary.rows[0].cells] == ["Abbreviation", "Meaning"]
    assert [c.text for c in glossary.rows[1].cells] == ["MARAC", "Multi-Agency Risk Assessment"]
    assert "w:tblHeader" in glossary.rows[0]._tr.xml


def test_header_and_footer_carry_reference_marking_watermarks_and_page_x_of_y(world):
    data = _docx(make_document(world, status=Document.Status.DRAFT))
    word = WordDocument(io.BytesIO(data))
    header = word.sections[0].header.paragraphs[0].text
    assert "NDHR-01" in header and "OFFICIAL-SENSITIVE" in header and "DRAFT" in header
    assert "Contains personal data" in header
    footer_xml = word.sections[0].footer._element.xml
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml
    assert 'string="DRAFT"' in word.sections[0].header._element.xml  # Word's watermark shape

    published = make_document(world, status=Document.Status.PUBLISHED, kind="executive_summary")
    word = WordDocument(io.BytesIO(_docx(published, publication=True)))
    header = word.sections[0].header.paragraphs[0].text
    assert "OFFICIAL-SENSITIVE" not in header and "DRAFT" not in header and "personal data" not in header
    assert "DRAFT" not in word.sections[0].header._element.xml


def test_the_panel_version_has_the_chronology_appendix_on_landscape_pages(world):
    from tests.test_permission_matrix import built

    built(world)
    word = WordDocument(io.BytesIO(_docx(make_document(world, sections=[("One", paragraphs(1))]))))
    assert any(p.text == "Appendix A: Integrated chronology" for p in word.paragraphs)
    assert any(s.page_width > s.page_height for s in word.sections)
