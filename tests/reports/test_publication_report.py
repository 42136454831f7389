"""The publication report for the chair's sign-off, as a page and as a PDF: the revision, every
replacement (by designation and relationship, never a real name), every acknowledgement and
redaction with reason, who and when, the finished files checked and the result."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from reports import render_service, services
from reports.models import DocumentRender, Section
from reports.publication_check import publication_check
from reports.render import document_fingerprint
from reports.tasks import render_document_task
from reviews import publication_services
from reviews.models import AuditEntry
from reviews.publication.files import pdf_pages_text
from tests.conftest import World
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

BODY = (
    "<p>Susan Marsh spoke to the panel. Danny Rafiq did not.</p>"
    "<p>She was registered at the Marsh Lane surgery.</p>"
    "<p>The duty desk took a call [[entry:{entry}]].</p>"
)


@pytest.fixture
def decided(world: World, section: Section) -> Section:
    """A section with two names replaced, a street acknowledged and a cited entry's field redacted."""
    PersonFactory(review=world.review, real_name="Danny Rafiq", designation="the perpetrator",
                  relationship="perpetrator", date_of_birth=datetime.date(1988, 3, 14))  # fmt: skip
    world.person.relationship = "family_member"
    world.person.save(update_fields=["relationship"])
    world.entry_b.details = "Mrs Marsh rang the duty desk."
    world.entry_b.save(update_fields=["details"])
    section = services.section_save(
        section_id=section.pk, body=BODY.format(entry=world.entry_b.pk), base_version=1, actor=world.chair
    )
    street, entry = publication_check(section.document).blocking
    publication_services.publication_acknowledge(
        review=world.review, finding=street, reason="Marsh Lane is a street.", actor=world.chair
    )
    publication_services.publication_redact_entry_field(
        review=world.review, finding=entry, reason="The agency's own wording.", actor=world.board_admin
    )
    return section


def _url(name: str, section: Section) -> str:
    return reverse(f"reports:{name}", args=[section.document.review_id, section.document_id])


def test_the_report_lists_replacements_decisions_and_files_without_a_real_name(
    client: Client, world: World, decided: Section
):
    row = render_service.render_request(actor=world.chair, document=decided.document, fmt="pdf", publication=True)
    render_document_task(row.pk)
    row.refresh_from_db()
    assert row.status == DocumentRender.Status.READY, row.error
    client.force_login(world.chair)
    page = client.get(_url("publication_report", decided)).content.decode().replace("&#x27;", "'")

    assert "OFFICIAL-SENSITIVE" in page and "Ready to publish." in page
    assert "<td>1. Introduction</td><td>2</td>" in page  # section 1 at version 2
    assert "<td>1. Introduction</td><td>the victim's mother</td><td>Family member</td><td>1</td>" in page
    assert "<td>1. Introduction</td><td>the perpetrator</td><td>Perpetrator</td><td>1</td>" in page
    assert "Marsh Lane is a street." in page and "The agency's own wording." in page
    assert world.board_admin.display_name in page
    assert f"<td>PDF</td><td>{row.filename}</td>" in page and "Passed" in page
    assert "Not checked yet: Word (DOCX), Web pages (HTML, zip)." in page
    # Full names and the surname: a generated user (the board administrator) may share a forename.
    for name in ("Susan Marsh", "Danny Rafiq", "Rafiq", "Mrs Marsh"):
        assert name not in page
    assert AuditEntry.objects.filter(action="document.publication_report_viewed", review=world.review).count() == 1


def test_the_report_as_a_pdf_says_the_same_on_pages_marked_official_sensitive(
    client: Client, world: World, decided: Section
):
    client.force_login(world.board_admin)
    response = client.get(_url("publication_report_pdf", decided))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="NDHR-01-overview-publication-report.pdf"'
    pages = pdf_pages_text(response.content)
    text = " ".join(" ".join(pages).split())
    assert all("OFFICIAL-SENSITIVE" in page for page in pages)
    assert "Publication report: overview report" in text and "NDHR-01" in text
    assert "Ready to publish." in text
    assert "the victim's mother Family member 1" in text and "the perpetrator Perpetrator 1" in text
    # Each in a narrow table cell: its lines may be read out between those of the cells beside it
    # (whose widths follow the names and the time of day), so its words are looked for in order.
    assert re.search(r"Marsh Lane\b.*?\bis a street\.", text), text
    assert re.search(r"The agency's own\b.*?\bwording\.", text), text
    assert "Not checked yet: PDF, Word (DOCX), Web pages (HTML, zip)." in text
    # Full names and the surname: a generated user (the board administrator) may share a forename.
    for name in ("Susan Marsh", "Danny Rafiq", "Rafiq", "Mrs Marsh"):
        assert name not in text
    assert AuditEntry.objects.filter(action="document.publication_report_downloaded").count() == 1


def test_a_blocked_document_says_so_and_names_where_without_quoting(client: Client, world: World, section: Section):
    services.section_save(section_id=section.pk, body="<p>Mrs Marsh was seen.</p>", base_version=1, actor=world.chair)
    current = document_fingerprint(section.document, fmt="docx", publication=True)[0]
    failed = DocumentRender.objects.create(
        document=section.document, format="docx", publication=True, status="failed", error="Publication blocked: …",
        fingerprint=current,
    )  # fmt: skip
    client.force_login(world.chair)
    page = client.get(_url("publication_report", section)).content.decode().replace("&#x27;", "'")
    assert "Blocked." in page and "finds 1 finding" in page
    assert "Overview report, section 1. Introduction, paragraph 1.1: surname of the victim's mother" in page
    assert "Mrs Marsh" not in page
    assert f"<td>Word (DOCX)</td><td>{failed.filename}</td>" in page and "Failed: Publication blocked: …" in page
    assert "Not checked yet: PDF, Web pages (HTML, zip)." in page
