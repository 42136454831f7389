"""The chair clears the demo overview report for publication, in Chromium: the publication
preview lists what blocks it, one finding is acknowledged as not identifying and an agency's
field redacted (each with a reason), the publication report shows both and comes as a PDF,
and the document is published and withdrawn again. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from reports import document_services, services
from reports.models import Document
from reviews.models import FamilyContact, Person, PublicationDecision, Review
from reviews.publication.files import pdf_pages_text
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STREET = "The family were registered at the Marsh Lane surgery throughout."


@pytest.fixture
def overview(live_server) -> Document:
    """The demo overview report with a paragraph naming a street after the victim's family."""
    call_command("load_demo", verbosity=0)
    review = Review.objects.get(reference="BDHR2012/13-04")
    document = Document.objects.get(review=review, kind=Document.Kind.OVERVIEW)
    section = document.sections.order_by("position").first()
    chair = User.objects.get(username="chair")
    # The demo's register says "Jade" always means the victim: taken back, so the footnote's
    # "Jade" (also an English word) is found again and this journey decides on it.
    Person.objects.filter(review=review, designation="the victim").update(confirmed_names=[])
    # The family's quotes in the involvement block name her too: kept out, so the journey's two
    # findings are the street and the footnote.
    FamilyContact.objects.filter(review=review).update(consent_to_be_quoted=False)
    services.section_save(
        section_id=section.pk, body=section.body + f"<p>{STREET}</p>", base_version=section.version, actor=chair
    )
    return document


def test_chair_acknowledges_redacts_reads_the_report_and_publishes(new_page, overview):
    review_pk = overview.review_id
    page = new_page()
    sign_in(page, "chair")
    page.goto(reverse("reports:document_preview", args=[review_pk, overview.pk]) + "?version=publication")
    expect(page.get_by_role("heading", name="Not ready to publish: 2 findings")).to_be_visible()
    assert_accessible(page)

    street = page.locator(".publication-findings > li", has_text="Marsh Lane")
    street.locator("summary").click()
    street.get_by_label("Reason (required)").fill("Marsh Lane is the name of a street, not of a person.")
    assert_accessible(page)  # the form open
    street.get_by_role("button", name="Acknowledge as not identifying").click()
    expect(page.get_by_role("heading", name="Acknowledged as not identifying (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Not ready to publish: 1 finding")).to_be_visible()

    footnote = page.locator(".publication-findings > li", has_text="footnote 1")
    footnote.locator("summary").click()
    footnote.get_by_label("Reason (required)").fill("The agency's record names the victim by her first name.")
    footnote.get_by_role("button", name="Redact this field in publications").click()
    expect(page.get_by_text("The publication check passes")).to_be_visible()
    assert_accessible(page)
    # Two decisions made here, beside the demo's own on agencies' entries (made on the integrated chronology).
    assert PublicationDecision.objects.filter(review_id=review_pk).exclude(where__startswith="entry #").count() == 2

    page.get_by_role("link", name="Publication report").click()
    expect(page.get_by_role("heading", name="Publication report: overview report")).to_be_visible()
    expect(page.get_by_text("Ready to publish.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename == "BDHR2012-13-04-overview-publication-report.pdf"
    text = " ".join(" ".join(pdf_pages_text(open(download.value.path(), "rb").read())).split())
    assert "Marsh Lane is the name of a street, not of a person." in text and "Ready to publish." in text

    for status in ("panel_review", "approved"):
        overview = document_services.document_status_change(
            document=overview, to_status=status, actor=User.objects.get(username="chair")
        )
    page.get_by_role("link", name="Back to the document").click()
    page.get_by_role("button", name="Move to published").click()
    # The files it is published with are made first (at once here: tasks run in the request).
    expect(page.get_by_text("Making the publication files of the overview report")).to_be_visible()
    page.get_by_role("button", name="Move to published").click()
    expect(page.get_by_text("is now: Published")).to_be_visible()
    page.get_by_label("Reason for withdrawing it (required)").fill("The family asked to read it first.")
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw to draft").click()
    expect(page.get_by_text("is now: Draft")).to_be_visible()
    expect(page.get_by_text(re.compile("Published → Draft.*The family asked to read it first"))).to_be_visible()


def test_a_finding_links_to_the_editor_at_its_paragraph_and_the_fix_clears_it(new_page, overview):
    page = new_page()
    sign_in(page, "chair")
    page.goto(reverse("reports:document_preview", args=[overview.review_id, overview.pk]) + "?version=publication")
    street = page.locator(".publication-findings > li", has_text="Marsh Lane")
    street.get_by_role("link", name="Edit this paragraph").click()
    expect(page.locator("#save-status")).to_have_text(
        "The cursor is at the start of the paragraph the publication check named."
    )
    # The cursor is at the start of that paragraph: typing there edits it.
    assert page.evaluate("document.activeElement.classList.contains('ProseMirror')")
    page.keyboard.press("Shift+End")
    page.keyboard.type("The family were registered at a surgery near their home throughout.")
    expect(page.locator("#save-status")).to_contain_text("Saved at", timeout=15000)
    assert_accessible(page)
    page.goto(reverse("reports:document_preview", args=[overview.review_id, overview.pk]) + "?version=publication")
    expect(page.locator(".publication-findings > li", has_text="Marsh Lane")).to_have_count(0)
