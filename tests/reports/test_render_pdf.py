"""The PDF of a document, read back as a reader sees it: pdftotext page by page, pdfinfo."""

from __future__ import annotations

import re
import subprocess
import zlib

import pytest

from casereview.pdf import html_to_pdf
from reports import render
from reports.models import Document, GlossaryTerm
from reviews.models import Imr
from reviews.publication.files import pdf_pages_text
from tests.reports.render_fixtures import make_document, paragraphs

pytestmark = pytest.mark.django_db


def _pdf(document: Document, *, publication: bool = False) -> tuple[bytes, list[str]]:
    pdf = html_to_pdf(render.document_html(render.render_input(document, publication=publication)))
    pages = pdf_pages_text(pdf.data)
    assert len(pages) == pdf.pages
    return pdf.data, pages


def _pdfinfo(data: bytes) -> str:
    return subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_contents_page_numbers_are_the_pages_the_sections_start_on(world):
    sections = [("Introduction", "<p>The MARAC met.</p>" + paragraphs(3)), ("Background", paragraphs(12)),
                ("Analysis", paragraphs(14)), ("Conclusions", paragraphs(3))]  # fmt: skip
    document = make_document(world, sections=sections)  # the glossary lists the terms used
    GlossaryTerm.objects.create(review=world.review, abbreviation="MARAC", expansion="Multi-Agency Risk Assessment")
    _data, pages = _pdf(document)
    assert len(pages) >= 6
    contents = pages[1]
    assert "Contents" in contents
    # "2. Background    5": the leader is a dotted line, not dots of text, so pdftotext may put the title
    # and its page number on separate lines.
    titles = r"(Glossary|Introduction|Background|Analysis|Conclusions)"
    listed = dict(re.findall(titles + r"[\s.]*?(\d+)\s*$", contents, re.M))
    assert set(listed) == {"Glossary", "Introduction", "Background", "Analysis", "Conclusions"}, contents
    headings = {"Glossary": "Glossary", **{t: f"{n}. {t}" for n, t in enumerate(
        ["Introduction", "Background", "Analysis", "Conclusions"], start=1)}}  # fmt: skip
    for title, page in listed.items():
        page_text = pages[int(page) - 1]
        assert re.search(rf"^{re.escape(headings[title])}\s*$", page_text, re.M), (title, page, page_text[:300])
        # ...and not on any earlier page after the contents.
        assert not any(re.search(rf"^{re.escape(headings[title])}\s*$", p, re.M) for p in pages[2 : int(page) - 1])
    # The sections do not all start on one page: the numbers are worked out, not copied.
    assert len(set(listed.values())) >= 3


def test_every_page_after_the_cover_says_page_x_of_y(world):
    data, pages = _pdf(make_document(world))
    total = int(re.search(r"Pages:\s+(\d+)", _pdfinfo(data)).group(1))
    assert total == len(pages)
    assert "Page 1 of" not in pages[0]
    assert f"Page 3 of {total}" in pages[2]
    for number, text in enumerate(pages[1:], start=2):
        assert f"Page {number} of {total}" in text


@pytest.mark.parametrize(
    ("status", "publication", "marked", "draft", "personal"),
    [
        (Document.Status.DRAFT, False, True, True, True),
        (Document.Status.PANEL_REVIEW, True, True, True, False),
        (Document.Status.APPROVED, False, True, False, True),
        (Document.Status.APPROVED, True, True, False, False),
        (Document.Status.PUBLISHED, True, False, False, False),
        # A panel version holds real names: it keeps the marking even once the report is published.
        (Document.Status.PUBLISHED, False, True, False, True),
    ],
)
def test_marking_and_watermarks_appear_where_they_should_and_not_elsewhere(
    world, status, publication, marked, draft, personal
):
    document = make_document(world, status=status, sections=[("Introduction", paragraphs(2))])
    _data, pages = _pdf(document, publication=publication)
    for text in pages:
        assert ("OFFICIAL-SENSITIVE" in text) is marked
        assert bool(re.search(r"^DRAFT$", text, re.M)) is draft
        assert ("Contains personal data" in text) is personal


def test_cover_names_the_partnership_review_case_reference_date_and_status(world):
    document = make_document(world, status=Document.Status.PANEL_REVIEW)
    _data, pages = _pdf(document)
    cover = pages[0]
    for text in ("Northshire Community Safety Partnership", "Domestic Homicide Review", "Adult A", "Overview report",
                 "NDHR-01", "Panel review"):  # fmt: skip
        assert text in cover, text


def test_paragraphs_are_numbered_per_section_or_continuously(world):
    sections = [("One", paragraphs(2)), ("Two", paragraphs(3))]
    _data, pages = _pdf(make_document(world, sections=sections))
    text = "\n".join(pages)
    assert re.search(r"^2\.3\s", text, re.M) and not re.search(r"^2\.4\s", text, re.M)
    document = make_document(
        world, sections=sections, numbering=Document.Numbering.CONTINUOUS, kind="executive_summary"
    )
    _data, pages = _pdf(document)
    text = "\n".join(pages[1:])  # after the cover (a short executive summary has no contents page)
    assert re.search(r"^5\s", text, re.M) and not re.search(r"^2\.1\s", text, re.M)


def test_references_become_footnotes_on_the_page_that_cites_them(world):
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.SUBMITTED)  # only a submitted IMR is cited
    body = f"<p>The police attended the address [[entry:{world.entry_a.pk}]] and recorded it.</p>" + paragraphs(2)
    _data, pages = _pdf(make_document(world, sections=[("Background", body)]))
    page = next(p for p in pages if "The police attended" in p)
    assert re.search(r"^1\. Chronology, Northshire Police", page, re.M), page


def test_the_pdf_is_tagged_with_its_title_and_language_and_headings_as_bookmarks(world):
    data, _pages = _pdf(make_document(world))
    info = _pdfinfo(data)
    assert "Title:           Adult A: Domestic Homicide Review overview report" in info
    assert re.search(r"Tagged:\s+yes", info)
    objects = data + b"".join(_streams(data))
    assert re.search(rb"/Lang\s*\(en-GB\)", objects)
    assert b"/Outlines" in objects and b"/StructTreeRoot" in objects
    destinations = subprocess.run(["pdfinfo", "-dests", "-"], input=data, capture_output=True).stdout.decode()
    assert "section-2" in destinations


def _streams(data: bytes) -> list[bytes]:
    """The PDF's compressed streams, inflated (the catalogue may sit in an object stream)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return out


def test_the_panel_version_keeps_the_integrated_chronology_and_the_publication_version_leaves_it_out(world):
    from tests.test_permission_matrix import built

    built(world)
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    _data, pages = _pdf(document)
    assert any("Appendix A: Integrated chronology" in p for p in pages)
    _data, pages = _pdf(document, publication=True)
    assert not any("Integrated chronology" in p for p in pages)
