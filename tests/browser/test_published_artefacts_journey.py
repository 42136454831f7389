"""Published files in Chromium: the chair publishes the demo executive summary (its publication
files are made first, when the first attempt asks for them), downloads the frozen PDF, and
withdraws it with a reason; the board administrator finds it, superseded with the reason, on
the partnership's "Published reviews" page and opens its publication record. Every page
passes axe."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from casereview.storage import file_bytes
from reports import document_services
from reports.models import Document, PublishedArtefact
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "The family asked to read it before it is on the website."


def _shots(tmp_path: Path) -> Path:
    """Where the screenshots go: SCREENSHOTS names a folder to keep them in."""
    folder = Path(os.environ.get("SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_chair_publishes_and_the_board_finds_the_files_as_published(new_page, demo, tmp_path):
    shots = _shots(tmp_path)
    summary = Document.objects.get(review=demo, kind=Document.Kind.EXECUTIVE_SUMMARY)
    chair_user = User.objects.get(username="chair")
    for status in ("panel_review", "approved"):
        summary = document_services.document_status_change(document=summary, to_status=status, actor=chair_user)

    chair = new_page()
    sign_in(chair, "chair")
    chair.goto(reverse("reports:document", args=[demo.pk, summary.pk]))
    files = chair.locator("#publication-files")
    expect(files).to_contain_text("Web pages (HTML, zip): not made yet.")
    assert_accessible(chair)
    chair.screenshot(path=str(shots / "1-approved.png"), full_page=True)

    chair.get_by_role("button", name="Move to published").click()
    expect(chair.get_by_text("Making the publication files of the executive summary")).to_be_visible()
    chair.reload()
    expect(chair.locator("#publication-files")).to_contain_text("Every publication file is ready")
    assert_accessible(chair)
    chair.screenshot(path=str(shots / "2-files-ready.png"), full_page=True)

    chair.get_by_role("button", name="Move to published").click()
    expect(chair.get_by_text("is now: Published")).to_be_visible()
    published = chair.locator("#publications")
    expect(published.get_by_text("In force")).to_be_visible()
    assert_accessible(chair)
    chair.screenshot(path=str(shots / "3-published.png"), full_page=True)
    pdf = PublishedArtefact.objects.get(publication__document=summary, format="pdf")
    with chair.expect_download() as download:
        published.get_by_role("link", name=re.compile("^PDF")).click()
    assert Path(download.value.path()).read_bytes() == file_bytes(pdf.file)
    assert download.value.suggested_filename == pdf.filename

    chair.get_by_label("Reason for withdrawing it (required)").fill(REASON)
    chair.get_by_role("button", name="Withdraw to draft").click()
    expect(chair.get_by_text("is now: Draft")).to_be_visible()
    expect(chair.locator("#publications")).to_contain_text(f"“{REASON}”")
    expect(chair.locator("#publications").get_by_text("Superseded")).to_be_visible()
    assert_accessible(chair)

    board = new_page()
    sign_in(board, "boardadmin")
    board.goto(reverse("reviews:partnership_detail", args=[demo.partnership_id]))
    board.get_by_role("link", name="Published reviews").click()
    expect(board.get_by_role("heading", name=f"{demo.reference}: {demo.case_name}")).to_be_visible()
    expect(board.locator("main")).to_contain_text(REASON)
    assert_accessible(board)
    board.screenshot(path=str(shots / "4-partnership-published.png"), full_page=True)
    with board.expect_download() as download:
        board.get_by_role("link", name=re.compile("^PDF")).click()
    assert Path(download.value.path()).read_bytes() == file_bytes(pdf.file)

    board.get_by_role("link", name=re.compile("^Publication record")).click()
    expect(board.get_by_role("heading", name=re.compile("Executive summary, published"))).to_be_visible()
    assert_accessible(board)
    board.screenshot(path=str(shots / "5-publication-record.png"), full_page=True)
