"""Reminders about panel meetings go out with the morning reminders (actions.reminders
``reminders_send``) through the email outbox: the panel before a meeting (less those who sent
apologies), an action arising's owner once it is overdue. Each is sent once, however often the
job runs; an archived review sends none."""

from __future__ import annotations

import datetime

from django.core import mail
from django.utils import timezone

from actions.reminders import reminders_send
from reviews import meeting_services
from reviews.meeting_models import MeetingAttendance, PanelMeeting
from reviews.meeting_services import AttendanceRecord, MeetingDetails
from tests.conftest import World

TODAY = datetime.date(2026, 6, 20)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _meeting(world: World, starts_at: datetime.datetime) -> PanelMeeting:
    return meeting_services.meeting_create(
        actor=world.chair, review=world.review, details=MeetingDetails(starts_at=starts_at, place="Room 4")
    )


def _run(django_capture_on_commit_callbacks, today: datetime.date = TODAY) -> tuple[dict[str, int], list]:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders_send(today=today)
    return counts, sorted((message.to[0], message.subject) for message in mail.outbox)


def test_the_panel_is_reminded_of_a_meeting_once_less_those_who_sent_apologies(
    world: World, django_capture_on_commit_callbacks
):
    meeting = _meeting(world, _at(TODAY + datetime.timedelta(days=2), 10))
    _meeting(world, _at(TODAY + datetime.timedelta(days=9), 10))  # too far ahead for today
    meeting_services.meeting_attendance_save(
        actor=world.chair,
        meeting=meeting,
        records=[AttendanceRecord(world.panel.pk, MeetingAttendance.Status.APOLOGIES)],
    )
    counts, sent = _run(django_capture_on_commit_callbacks)
    assert counts["meetings"] == 1
    assert sent == [(world.chair.email, "casereview: panel meeting on 22/06/2026 at 10:00 (NDHR-01)")]
    assert f"/reviews/{world.review.pk}/meetings/{meeting.pk}/" in mail.outbox[0].body

    counts, sent = _run(django_capture_on_commit_callbacks)  # the job runs again: nothing more
    assert counts["meetings"] == 0 and sent == []
    counts, sent = _run(django_capture_on_commit_callbacks, TODAY + datetime.timedelta(days=1))  # the next morning
    assert counts["meetings"] == 0 and sent == []


def test_a_meeting_moved_to_another_time_is_reminded_of_again(world: World, django_capture_on_commit_callbacks):
    meeting = _meeting(world, _at(TODAY + datetime.timedelta(days=1), 10))
    assert _run(django_capture_on_commit_callbacks)[0]["meetings"] == 1
    PanelMeeting.objects.filter(pk=meeting.pk).update(starts_at=_at(TODAY + datetime.timedelta(days=2), 14))
    counts, sent = _run(django_capture_on_commit_callbacks)
    assert counts["meetings"] == 1 and "22/06/2026 at 14:00" in sent[0][1]


def test_an_overdue_action_arising_reminds_its_owner_once(world: World, django_capture_on_commit_callbacks):
    meeting = _meeting(world, _at(TODAY - datetime.timedelta(days=20), 10))
    meeting_services.action_arising_add(
        actor=world.chair, meeting=meeting, description="Bring the housing file.", owner=world.author_a,
        due_date=TODAY - datetime.timedelta(days=3),
    )  # fmt: skip
    meeting_services.action_arising_add(
        actor=world.chair, meeting=meeting, description="Not yet due.", owner=world.panel, due_date=TODAY
    )
    counts, sent = _run(django_capture_on_commit_callbacks)
    assert counts["actions_arising"] == 1
    assert sent == [(world.author_a.email, "casereview: action arising overdue since 17/06/2026 (NDHR-01)")]
    body = mail.outbox[0].body
    assert "3 days overdue" in body and "/my-actions/" in body and "housing" not in body  # the text stays inside
    counts, sent = _run(django_capture_on_commit_callbacks)
    assert counts["actions_arising"] == 0 and sent == []


def test_a_done_action_or_an_archived_review_sends_no_reminder(world: World, django_capture_on_commit_callbacks):
    meeting = _meeting(world, _at(TODAY - datetime.timedelta(days=20), 10))
    done = meeting_services.action_arising_add(
        actor=world.chair, meeting=meeting, description="Done.", owner=world.panel,
        due_date=TODAY - datetime.timedelta(days=3),
    )  # fmt: skip
    meeting_services.action_arising_mark(actor=world.panel, action=done, done=True, now=timezone.now())
    meeting_services.action_arising_add(
        actor=world.chair, meeting=meeting, description="Open.", owner=world.panel,
        due_date=TODAY - datetime.timedelta(days=3),
    )  # fmt: skip
    _meeting(world, _at(TODAY + datetime.timedelta(days=1), 10))
    world.review.archived_at = timezone.now()
    world.review.save(update_fields=["archived_at"])
    counts, sent = _run(django_capture_on_commit_callbacks)
    assert (counts["meetings"], counts["actions_arising"], sent) == (0, 0, [])
