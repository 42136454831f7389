"""Data blocks in the files: the PDF (read back with pdftotext) and the Word file (opened with
python-docx) print the review's data where the token paragraphs are, with names replaced in the
publication version; nothing of the tokens is left."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document as WordDocument

from casereview.pdf import html_to_pdf
from chronology.models import IntegratedChronology, IntegratedEntry, KeyEpisode
from reports import render
from reports.docx_render import document_docx
from reviews.models import ReviewMembership
from reviews.publication.files import pdf_pages_text
from tests.conftest import World
from tests.reports.render_fixtures import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(world: World):
    ReviewMembership.objects.filter(review=world.review, user=world.panel).update(panel_role="Detective Inspector")
    episode = KeyEpisode.objects.create(
        review=world.review, title="The spring episode", start=datetime.date(2021, 4, 1), end=datetime.date(2021, 5, 31)
    )
    chronology = IntegratedChronology.objects.create(
        review=world.review, version=1, status=IntegratedChronology.Status.READY
    )
    IntegratedEntry.objects.create(
        chronology=chronology, seq=1, source_id=1, agency_id=world.agency_a.pk, agency_name=world.agency_a.name,
        position=1, date_start=datetime.date(2021, 4, 2), date_end=datetime.date(2021, 4, 2), precision="day",
        date_display="2 April 2021", event="Call-out", details="Officers spoke to Susan Marsh at the door.",
    )  # fmt: skip
    body = (
        "<p>The panel was:</p><p>[[data:panel]]</p><p>The agencies:</p><p>[[data:contributors]]</p>"
        f"<p>[[data:key-episodes]]</p><p>[[data:episode-chronology:{episode.pk}]]</p>"
    )
    return make_document(world, sections=[("Introduction", body)])


def _pdf_text(document, *, publication: bool) -> str:
    data = render.render_input(document, publication=publication)
    return "\n".join(pdf_pages_text(html_to_pdf(render.document_html(data)).data))


def _docx(document, *, publication: bool):
    return WordDocument(io.BytesIO(document_docx(render.render_input(document, publication=publication))))


def test_the_pdf_prints_the_blocks(document, world: World):
    text = " ".join(_pdf_text(document, publication=False).split())
    assert "[[data:" not in text
    assert "Name Role" in text and "Detective Inspector" in text and world.panel.display_name in text
    assert world.agency_b.name in text and world.author_b.display_name in text
    assert "The spring episode (1 April 2021 to 31 May 2021)" in text
    assert "Officers spoke to Susan Marsh at the door." in text


def test_the_publication_pdf_replaces_a_registered_name_in_an_episode_chronology(document):
    text = " ".join(_pdf_text(document, publication=True).split())
    assert "Susan Marsh" not in text
    assert "Officers spoke to the victim's mother at the door." in text


def test_the_word_file_has_the_blocks_as_tables_and_lists(document, world: World):
    word = _docx(document, publication=False)
    tables = {tuple(cell.text for cell in table.rows[0].cells): table for table in word.tables}
    assert ("Name", "Role") in tables
    panel = [[cell.text for cell in row.cells] for row in tables[("Name", "Role")].rows]
    assert [world.panel.display_name, "Detective Inspector"] in panel
    assert ("Date", "Agency", "Event", "Details") in tables
    assert ("Agency", "IMR author", "Contribution") in tables
    body = "\n".join(p.text for p in word.paragraphs)
    assert "The spring episode (1 April 2021 to 31 May 2021)" in body and "[[data:" not in body
    published = _docx(document, publication=True)
    cells = " ".join(cell.text for table in published.tables for row in table.rows for cell in row.cells)
    assert "Susan Marsh" not in cells and "the victim's mother" in cells
