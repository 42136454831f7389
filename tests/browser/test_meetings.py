"""Panel meetings in Chromium: the chair schedules a meeting, records attendance, writes the
minutes in the documents' editor (autosaved), adds an action arising for the panel member, who
finds it on "My actions" and marks it done there; axe-core on every page of the meetings."""

from __future__ import annotations

import datetime
import os
import re

import pytest
from django.utils import timezone

from reviews.meeting_models import ActionArising, PanelMeeting
from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.browser.test_imr_journeys import EDITORS_MOUNTED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS")  # a folder: the pages are saved there at 1280 and 320 px
ACTION = "Ask the GP practice for the 2011 consultation notes."


def _look(page, name: str) -> None:
    """axe-core on the page, and its layout at 320 px (screenshots when SCREENSHOTS names a folder)."""
    assert_accessible(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/meetings-{name}-1280.png", full_page=True)
    viewport = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    assert_reflows(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/meetings-{name}-320.png", full_page=True)
    page.set_viewport_size(viewport)


def test_the_chair_runs_a_meeting_and_the_action_arising_reaches_the_panel_member(new_page, demo):
    chair = new_page()
    sign_in(chair, "chair")
    chair.goto(f"/reviews/{demo.pk}/")
    chair.get_by_role("link", name="Panel meetings").click()
    chair.get_by_role("heading", name="Panel meetings").wait_for()
    assert chair.get_by_role("link", name="Meeting 2").is_visible()  # the demo's meetings
    _look(chair, "list")

    chair.get_by_role("link", name="Schedule a meeting").click()
    chair.get_by_role("heading", name="Schedule a meeting").wait_for()
    _look(chair, "new")
    chair.get_by_role("button", name="Schedule the meeting").click()  # nothing filled in
    chair.get_by_text("Give the date of the meeting.").first.wait_for()
    assert chair.get_by_text("Give the place of the meeting or its online link (or both).").first.is_visible()
    day = timezone.localdate() + datetime.timedelta(days=14)
    chair.get_by_label("Date").fill(day.isoformat())
    chair.get_by_label("Start time").fill("10:30")
    chair.get_by_label("Place").fill("Council House, Committee Room 2")
    chair.get_by_label("Agenda").fill("Minutes of the last meeting\nThe draft overview report\nThe family's views")
    chair.get_by_role("button", name="Schedule the meeting").click()
    chair.get_by_text("Meeting scheduled.").wait_for()
    meeting = PanelMeeting.objects.get(review=demo, starts_at__date=day)
    assert chair.get_by_role("heading", name=re.compile(r"^Panel meeting 3: ")).is_visible()
    assert chair.locator("#agenda-heading + ol li").all_inner_texts() == [
        "Minutes of the last meeting", "The draft overview report", "The family's views",
    ]  # fmt: skip
    _look(chair, "detail")

    chair.get_by_role("link", name="Record attendance").click()
    chair.get_by_role("heading", name=re.compile("^Attendance at the meeting")).wait_for()
    _look(chair, "attendance")
    chair.get_by_label("Priya Shah: attendance").select_option("present")
    chair.get_by_label("Priya Shah: agency represented").select_option(label="Birmingham Community Safety Partnership")
    chair.get_by_label("Alex Morgan: attendance").select_option("present")
    chair.get_by_role("button", name="Save attendance").click()
    chair.get_by_text("Attendance recorded.").wait_for()
    attendance = chair.locator("section[aria-labelledby=attendance-heading]")
    assert "Birmingham Community Safety Partnership" in attendance.inner_text()

    chair.get_by_role("link", name="Write the minutes").click()
    chair.wait_for_function(EDITORS_MOUNTED)
    editor = chair.get_by_role("textbox", name="Minutes", exact=True)
    editor.click()
    chair.keyboard.type("The panel read the draft overview report. ")
    chair.keyboard.press("Control+b")
    chair.keyboard.type("Agreed")
    chair.keyboard.press("Control+b")
    chair.keyboard.type(": send it to the family's advocate.")
    chair.get_by_role("status").filter(has_text=re.compile(r"Saved at .* \(version 1\)")).wait_for()
    meeting.refresh_from_db()
    assert meeting.minutes == (
        "<p>The panel read the draft overview report. <strong>Agreed</strong>: send it to the family's advocate.</p>"
    )
    _look(chair, "minutes")
    chair.get_by_role("link", name="Back to the meeting").click()
    chair.locator("#minutes-heading").wait_for()
    assert "Draft" in chair.locator("#minutes-heading").inner_text()

    chair.get_by_text("Add an action arising").click()
    chair.get_by_label("What is to be done").fill(ACTION)
    chair.get_by_label("Owner").select_option(label="Priya Shah")
    chair.get_by_label("Due date").fill((day + datetime.timedelta(days=7)).isoformat())
    chair.get_by_role("button", name="Add the action").click()
    chair.get_by_text("Action arising added").wait_for()
    assert chair.get_by_role("cell", name=ACTION, exact=True).is_visible()

    chair.get_by_role("link", name="Circulate or remove papers").click()
    chair.get_by_role("heading", name=re.compile("^Papers for the meeting")).wait_for()
    _look(chair, "papers")
    chair.goto(f"/reviews/{demo.pk}/meetings/{meeting.pk}/actions/new/")
    chair.get_by_role("heading", name=re.compile("^Add an action arising")).wait_for()
    _look(chair, "action-new")
    chair.goto(f"/reviews/{demo.pk}/meetings/{meeting.pk}/edit/")
    chair.get_by_role("heading", name=re.compile("^Edit the meeting")).wait_for()
    _look(chair, "edit")

    panel = new_page()
    sign_in(panel, "panel")
    panel.get_by_role("link", name="My actions").click()
    panel.get_by_role("heading", name="Actions arising from panel meetings").wait_for()
    row = panel.get_by_role("row").filter(has_text=ACTION)
    assert row.is_visible()
    _look(panel, "my-actions")
    row.get_by_role("button", name=re.compile("^Mark done")).click()
    panel.get_by_text("Action arising marked done.").wait_for()
    assert ACTION not in panel.inner_text("main")
    assert ActionArising.objects.get(description=ACTION).done_by.username == "panel"

    # The demo's first meeting, as the panel member reads it: minutes approved at the second.
    first = PanelMeeting.objects.filter(review=demo).order_by("starts_at").first()
    panel.goto(f"/reviews/{demo.pk}/meetings/{first.pk}/")
    panel.get_by_text("Approved as a true record at meeting 2").wait_for()
    assert panel.get_by_role("link", name="Record attendance").count() == 0  # the chair's to change
    _look(panel, "demo-first")
