"""The demo DHR's two panel meetings: loaded once however often the demo is loaded, the first's
minutes approved at the second, and an action arising still open in the demo panel member's list."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from reviews.meeting_models import ActionArising, MeetingAttendance, PanelMeeting
from reviews.meeting_selectors import actions_arising_for_owner
from reviews.models import Review

pytestmark = pytest.mark.django_db
DHR = "BDHR2012/13-04"


def test_the_demo_dhr_has_two_past_meetings_loaded_once_with_the_first_minutes_approved_at_the_second():
    call_command("load_demo", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert f"{DHR}: the panel meetings are already loaded" in out.getvalue()
    review = Review.objects.get(reference=DHR)
    first, second = PanelMeeting.objects.filter(review=review).order_by("starts_at")
    assert PanelMeeting.objects.filter(review=review).count() == 2
    assert first.minutes_approved_at_meeting == second and first.minutes_approved_by.username == "chair"
    assert second.minutes and second.minutes_approved_at is None  # the second's minutes are a draft
    assert first.agenda_items.count() == 5 and second.agenda_items.count() == 5
    assert [paper.document.kind for paper in second.papers.all()] == ["overview"]
    statuses = set(MeetingAttendance.objects.filter(meeting=second).values_list("status", flat=True))
    assert statuses == {"present", "apologies", "absent"}
    police = MeetingAttendance.objects.get(meeting=first, user__first_name="Detective Chief Inspector")
    assert police.agency.name == "West Midlands Police"
    assert ActionArising.objects.filter(meeting__review=review, done_at__isnull=False).count() == 2
    panel = User.objects.get(username="panel")
    assert [item.action.description[:18] for item in actions_arising_for_owner(panel)] == ["Draft a note on th"]
