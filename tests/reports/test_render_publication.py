"""Publication versions: names replaced, redactions removed, and the publication check that
blocks any registered name, alias, surname or date of birth, naming where it was found."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest

from casereview.storage import file_bytes
from reports import render_service
from reports.models import DocumentRender, Section
from reports.tasks import render_document_task
from reviews.publication import Person, Publication, Register, register_for_review
from reviews.publication.files import docx_parts, pdf_pages_text
from tests.factories import PersonFactory
from tests.reports.render_fixtures import make_document, paragraphs

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(world):
    """The world's register (Susan Marsh, the victim's mother) and two more people."""
    PersonFactory(
        review=world.review,
        real_name="Danny Rafiq",
        aliases=["Dan the Man"],
        designation="the perpetrator",
        date_of_birth=datetime.date(1988, 3, 14),
    )
    PersonFactory(review=world.review, real_name="Jade Louise Marsh", aliases=["Jade"], designation="the victim")
    return world


def _render(document, *, fmt: str = "pdf", publication: bool = True) -> DocumentRender:
    row = render_service.render_request(actor=None, document=document, fmt=fmt, publication=publication)
    # The test's transaction never commits, so the task queued on commit is run here: the same work.
    render_document_task(row.pk)
    row.refresh_from_db()
    return row


def _text(row: DocumentRender) -> str:
    if row.format == "pdf":
        return "\n".join(pdf_pages_text(file_bytes(row.file)))
    return "\n".join(part.text for part in docx_parts(file_bytes(row.file)))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_real_name_typed_into_a_section_blocks_publication_and_names_the_section(register, fmt):
    body = paragraphs(2) + "<p>Later that week Mr Marsh rang the duty desk.</p>"
    document = make_document(register, sections=[("Introduction", paragraphs(2)), ("Background", body)])
    row = _render(document, fmt=fmt)
    assert row.status == DocumentRender.Status.FAILED
    assert "section 2. Background, paragraph 2.3" in row.error
    assert "surname of" in row.error and "Mr Marsh rang" in row.error
    assert file_bytes(row.file) == b""  # a blocked file is never stored

    # Removed: the same request now gives a file with no registered name, alias or surname in it.
    Section.objects.filter(document=document, title="Background").update(body=paragraphs(2), version=2)
    row = _render(document, fmt=fmt)
    assert row.status == DocumentRender.Status.READY, row.error
    text = _text(row)
    for term in ("Susan", "Marsh", "Danny", "Rafiq", "Dan the Man", "Jade", "14/03/1988"):
        assert term not in text
    assert not register_for_review(register.review).check(text)


def test_names_and_aliases_become_designations_and_redactions_are_removed(register):
    body = (
        "<p>Jade Louise Marsh met Danny Rafiq in 2009. Dan the Man's car was seen outside Susan Marsh's flat.</p>"
        '<p>The address was <span class="redaction">14 Acacia Avenue, Northtown</span> at the time.</p>'
    )
    document = make_document(register, sections=[("Background", body)])
    row = _render(document)
    assert row.status == DocumentRender.Status.READY, row.error
    text = " ".join(_text(row).split())
    assert "The victim met the perpetrator in 2009." in text
    assert "The perpetrator's car was seen outside the victim's mother's flat" in text
    assert "The address was [Redacted] at the time." in text
    assert "Acacia" not in text

    panel = _render(document, publication=False)
    panel_text = " ".join(_text(panel).split())
    assert "Jade Louise Marsh met Danny Rafiq" in panel_text and "Acacia Avenue" in panel_text


def test_a_name_in_the_case_name_blocks_publication_before_rendering(register):
    register.review.case_name = "The Marsh family"
    register.review.save(update_fields=["case_name"])
    document = make_document(register, sections=[("Introduction", paragraphs(1))])
    row = _render(document)
    assert row.status == DocumentRender.Status.FAILED
    assert "Cover, case name: surname of the victim" in row.error


def test_the_check_reads_the_finished_pdf_and_says_which_page(register):
    # The partnership's name is on the cover, which no text of the review holds: only the check
    # of the finished file sees it.
    register.review.partnership.name = "Marsh Safeguarding Partnership"
    register.review.partnership.save(update_fields=["name"])
    document = make_document(register, sections=[("Introduction", paragraphs(1))])
    row = _render(document)
    assert row.status == DocumentRender.Status.FAILED
    assert "PDF file, PDF page 1: surname of the victim" in row.error
    assert file_bytes(row.file) == b""


def test_the_check_reads_the_finished_word_file_and_says_where(register):
    register.review.partnership.name = "Marsh Safeguarding Partnership"
    register.review.partnership.save(update_fields=["name"])
    document = make_document(register, sections=[("Introduction", paragraphs(1))])
    row = _render(document, fmt="docx")
    assert row.status == DocumentRender.Status.FAILED
    assert "DOCX file, Word file, body paragraph" in row.error and "surname of the victim" in row.error


def test_a_date_of_birth_blocks_publication(register):
    document = make_document(register, sections=[("Background", "<p>He was born on 14 March 1988 in Leeds.</p>")])
    row = _render(document)
    assert row.status == DocumentRender.Status.FAILED
    assert "section 1. Background, paragraph 1.1: date of birth of the perpetrator" in row.error


def test_docx_findings_cover_notes_and_headers():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        archive.writestr(
            "word/document.xml", f"<w:document {w}><w:body><w:p><w:r><w:t>Fine</w:t></w:r></w:p></w:body></w:document>"
        )
        note = "<w:p><w:r><w:t>Susan </w:t></w:r><w:r><w:t>Marsh said</w:t></w:r></w:p>"
        archive.writestr("word/footnotes.xml", f"<w:footnotes {w}><w:footnote>{note}</w:footnote></w:footnotes>")
        archive.writestr("word/header1.xml", f"<w:hdr {w}><w:p><w:r><w:t>Marsh</w:t></w:r></w:p></w:hdr>")
    run = Publication(Register([Person("Susan Marsh", (), "the victim's mother")]))
    found = run.check_file("docx", buffer.getvalue(), "DOCX file")
    assert sorted((f.where.label, f.kind) for f in found) == [
        ("DOCX file, Word file, footnotes", "name"),
        ("DOCX file, Word file, header1", "surname"),
    ]


def test_an_unresolved_reference_blocks_publication(register):
    document = make_document(register, sections=[("Background", "<p>As recorded [[entry:999999]].</p>")])
    row = _render(document)
    assert row.status == DocumentRender.Status.FAILED
    assert "[[entry:999999]]" in row.error
