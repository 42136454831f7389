"""Reminders about panel meetings, sent by the morning reminders job (actions.reminders
``reminders_send``) through the email outbox (reviews.notifications): the panel hears about a
meeting in the days before it, and an action arising's owner hears once it is overdue. Each
reminder is a row claimed under a unique constraint in the same transaction as its email, so a
job run twice sends each reminder once."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from reviews.meeting_models import (
    ActionArising,
    ActionArisingReminder,
    MeetingAttendance,
    MeetingReminder,
    PanelMeeting,
)
from reviews.meeting_selectors import panel_members
from reviews.notifications import notify

# The panel is reminded of a meeting on the mornings of the two days before it and on its day
# (the first run in that window sends it; later runs find it sent).
MEETING_REMINDER_DAYS = 2


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def meeting_reminder_recipients(meeting: PanelMeeting) -> list[User]:
    """The review's chair and panel members, less those who have sent their apologies."""
    apologies = set(
        MeetingAttendance.objects.filter(meeting=meeting, status=MeetingAttendance.Status.APOLOGIES).values_list(
            "user_id", flat=True
        )
    )
    return [user for user in panel_members(meeting.review) if user.pk not in apologies]


def meeting_reminder_send(*, meeting: PanelMeeting) -> bool:
    """Claim the meeting's reminder for the time it is set for and queue its emails; False when an
    earlier run already sent it."""
    review = meeting.review
    when = timezone.localtime(meeting.starts_at)
    try:
        with transaction.atomic():
            MeetingReminder.objects.create(meeting=meeting, starts_at=meeting.starts_at)
            # The email names the review by reference only: the agenda stays behind sign-in.
            notify(
                recipients=meeting_reminder_recipients(meeting),
                review=review,
                subject=f"panel meeting on {when:%d/%m/%Y} at {when:%H:%M} ({review.reference})",
                body=(
                    f"The panel of review {review.reference} meets on {when:%A %d %B %Y} at {when:%H:%M}.\n\n"
                    "Please sign in to read the agenda and the papers circulated for it."
                ),
                link=reverse("reviews:meeting_detail", args=[review.pk, meeting.pk]),
            )
    except IntegrityError:
        return False
    return True


def meeting_reminders_send(*, today: datetime.date, partnership_ids: Collection[int] | None = None) -> int:
    """Queue the reminder of every meeting from today to ``MEETING_REMINDER_DAYS`` days ahead, of
    reviews not archived; returns how many were queued."""
    start = max(_day_start(today), timezone.now()) if today == timezone.localdate() else _day_start(today)
    end = _day_start(today + datetime.timedelta(days=MEETING_REMINDER_DAYS + 1))
    meetings = PanelMeeting.objects.filter(
        starts_at__gte=start, starts_at__lt=end, review__archived_at__isnull=True
    ).select_related("review__partnership")
    if partnership_ids is not None:
        meetings = meetings.filter(review__partnership_id__in=partnership_ids)
    already = set(MeetingReminder.objects.filter(meeting__in=meetings).values_list("meeting_id", "starts_at"))
    return sum(
        meeting_reminder_send(meeting=meeting) for meeting in meetings if (meeting.pk, meeting.starts_at) not in already
    )


def action_arising_reminder_send(*, action: ActionArising, today: datetime.date) -> bool:
    """Claim the overdue reminder of the action for its due date and queue its email to the owner;
    False when an earlier run already sent it."""
    review = action.meeting.review
    days = (today - action.due_date).days
    try:
        with transaction.atomic():
            ActionArisingReminder.objects.create(action=action, due_date=action.due_date)
            notify(
                recipients=[action.owner],
                review=review,
                subject=f"action arising overdue since {action.due_date:%d/%m/%Y} ({review.reference})",
                body=(
                    f"An action arising from the panel meeting of review {review.reference} on "
                    f"{timezone.localtime(action.meeting.starts_at):%d/%m/%Y} was due on {action.due_date:%d/%m/%Y} "
                    f"and is {days} day{'s' if days != 1 else ''} overdue.\n\n"
                    "Please sign in to see it in your actions, and mark it done once it is."
                ),
                link=reverse("actions:my_actions"),
            )
    except IntegrityError:
        return False
    return True


def action_arising_reminders_send(*, today: datetime.date, partnership_ids: Collection[int] | None = None) -> int:
    """Queue the reminder of every action arising past its due date and not done, in reviews not
    archived (index action_arising_open_due); returns how many were queued."""
    overdue = ActionArising.objects.filter(
        done_at__isnull=True, due_date__lt=today, meeting__review__archived_at__isnull=True
    ).select_related("meeting__review", "owner")
    if partnership_ids is not None:
        overdue = overdue.filter(meeting__review__partnership_id__in=partnership_ids)
    already = set(ActionArisingReminder.objects.filter(action__in=overdue).values_list("action_id", "due_date"))
    return sum(
        action_arising_reminder_send(action=action, today=today)
        for action in overdue
        if (action.pk, action.due_date) not in already
    )
