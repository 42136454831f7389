"""The scoping stage in Chromium: the demo chair records a new notification (told at the field
when its date is wrong), asks an agency what it knew, and records the decision not to hold a full
review, which closes the review; the board administrator finds the decision on the board's list
and the dashboard's process view. Every page passes axe and fits 320 px."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import AuditEntry, Review, ReviewMembership
from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.factories import MembershipFactory, ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _notified_review(demo: Review) -> Review:
    """A new notification to the demo board, chaired by the demo chair."""
    from accounts.models import User

    review = ReviewFactory(
        partnership=demo.partnership, reference="BDHR2026-77", case_name="Adult K", review_type=Review.Type.DHR
    )
    MembershipFactory(review=review, user=User.objects.get(username="chair"), role=ReviewMembership.Role.CHAIR)
    return review


def test_the_chair_records_a_decision_not_to_proceed_and_the_board_reports_it(new_page, demo, tmp_path):
    shots = _shots(tmp_path)
    review = _notified_review(demo)
    today = timezone.localdate()
    received = today - datetime.timedelta(days=10)
    chair = new_page()
    sign_in(chair, "chair")
    chair.goto(reverse("reviews:scoping", args=[review.pk]))
    expect(chair.get_by_role("heading", name="Scoping and the decision")).to_be_visible()
    assert_accessible(chair)

    chair.get_by_label("Date the notification was received").fill((today + datetime.timedelta(days=3)).isoformat())
    chair.get_by_label("Notified by").fill("DI Rao, review officer")
    chair.get_by_label("From agency").select_option(label="West Midlands Police")
    chair.get_by_label("Summary of the circumstances").fill("A woman was found dead at her home.")
    chair.get_by_role("button", name="Save the notification").click()
    summary = chair.locator("[data-error-summary]")
    expect(summary).to_contain_text("Date the notification was received: The date the notification was received")
    expect(summary).to_contain_text("is in the future.")
    assert_accessible(chair)

    chair.get_by_label("Date the notification was received").fill(received.isoformat())
    chair.get_by_role("button", name="Save the notification").click()
    expect(chair.get_by_text("Notification saved.")).to_be_visible()

    chair.locator("#id_information-agency").select_option(label="West Midlands Police")
    chair.get_by_label("Requested on").fill(received.isoformat())
    chair.get_by_label("Received on").fill((received + datetime.timedelta(days=2)).isoformat())
    chair.get_by_label("What the agency said").fill("Two call-outs to the address in the last year.")
    chair.get_by_role("button", name="Add", exact=True).click()
    expect(chair.get_by_role("rowheader", name="West Midlands Police")).to_be_visible()

    chair.get_by_label("Do not conduct a full review").check()
    chair.get_by_label("Date of the decision").fill((received + datetime.timedelta(days=5)).isoformat())
    chair.get_by_label("Reasons for the decision").fill("The death was not the result of abuse by a household member.")
    chair.get_by_role("button", name="Record the decision").click()
    expect(chair.get_by_text("Decision recorded: do not conduct a full review.")).to_be_visible()
    expect(chair.get_by_text("this review is closed and read-only")).to_be_visible()
    expect(chair.get_by_text("Within the statutory time")).to_be_visible()
    assert_accessible(chair)
    chair.screenshot(path=str(shots / "scoping-1-not-proceeding.png"), full_page=True)
    assert_reflows(chair)
    review.refresh_from_db()
    assert review.stage == Review.Stage.NOT_PROCEEDING
    assert AuditEntry.objects.filter(review=review, action="scoping.decided").count() == 1

    board = new_page()
    sign_in(board, "boardadmin")
    board.goto(reverse("actions:dashboard", args=[demo.partnership_id]))
    process = board.locator("table.process-table")
    expect(process.get_by_role("row", name="BDHR2026-77")).to_contain_text("Not proceeding")
    assert_accessible(board)
    board.screenshot(path=str(shots / "scoping-2-dashboard.png"), full_page=True)
    assert_reflows(board)

    board.get_by_role("link", name="Decisions").click()
    board.wait_for_url("**/decisions/")
    row = board.get_by_role("row", name="BDHR2026-77")
    expect(row).to_contain_text("Not proceeding")
    expect(row).to_contain_text("Within the statutory time")
    assert_accessible(board)
    board.screenshot(path=str(shots / "scoping-3-decisions.png"), full_page=True)
    assert_reflows(board)
