"""Reminders: which open actions and late IMRs are due one today, who hears, and what the email
says. Sent every morning by ``actions.tasks.reminders_send`` (Celery beat).

Owners hear about an open action before its target date and after it passes; a review's
chairs hear about IMRs past their due date; the panel hears about a meeting in the days before it
and an action arising's owner once it is overdue (reviews.meeting_reminders). Each reminder is a
row claimed under a unique constraint before its email is queued, in one transaction, so a job run twice (or two beat
processes by mistake) sends each reminder once."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import User
from actions.models import Action, ActionReminder, ImrReminder
from reviews import meeting_reminders
from reviews.models import Imr, ReviewMembership
from reviews.notifications import notify


@dataclass(frozen=True)
class Threshold:
    key: str
    # Days from the target date: negative before it, positive after.
    offset: int


# When owners are reminded about an open action, relative to its target date.
ACTION_THRESHOLDS = (
    Threshold("due_in_14", -14),
    Threshold("due_in_3", -3),
    Threshold("overdue_1", 1),
    Threshold("overdue_14", 14),
    Threshold("overdue_28", 28),
)
# When chairs are reminded about an IMR past its due date.
IMR_THRESHOLDS = (Threshold("overdue_1", 1), Threshold("overdue_7", 7), Threshold("overdue_28", 28))


def threshold_reached(thresholds: tuple[Threshold, ...], due: datetime.date, today: datetime.date) -> Threshold | None:
    """The latest threshold reached by ``today``: a job that did not run for a week sends one
    reminder, not a backlog. A "before" threshold no longer applies once the date has come."""
    reached = None
    for threshold in thresholds:
        if today >= due + datetime.timedelta(days=threshold.offset):
            if threshold.offset < 0 and today >= due:
                continue
            reached = threshold
    return reached


def _plural(count: int) -> str:
    return "s" if count != 1 else ""


# --- Actions -----------------------------------------------------------------------------------


def action_reminder_candidates(
    today: datetime.date, partnership_ids: Collection[int] | None = None
) -> QuerySet[Action]:
    """Open actions whose target date is within reach of a threshold (index action_status_target),
    of the given partnerships (None: of every partnership)."""
    earliest = min(t.offset for t in ACTION_THRESHOLDS)
    candidates = Action.objects.filter(
        status__in=[str(s) for s in Action.OPEN_STATUSES],
        target_date__lte=today - datetime.timedelta(days=earliest),
    ).select_related("recommendation__review", "lead_agency", "owner")
    if partnership_ids is not None:
        candidates = candidates.filter(recommendation__review__partnership_id__in=partnership_ids)
    return candidates


def action_reminder_recipients(action: Action) -> list[User]:
    """The action's owner; with no active owner, every action owner of its lead agency."""
    if action.owner is not None and action.owner.is_active:
        return [action.owner]
    memberships = ReviewMembership.objects.filter(
        review_id=action.recommendation.review_id, role=ReviewMembership.Role.ACTION_OWNER, agency=action.lead_agency_id
    ).select_related("user")
    return [membership.user for membership in memberships]


def action_reminder_message(action: Action, today: datetime.date) -> tuple[str, str]:
    """The subject and body of an action's reminder."""
    review = action.recommendation.review
    days = (action.target_date - today).days
    if days >= 0:
        subject = f"action due {action.target_date:%d/%m/%Y} ({review.reference})"
        lead = f"An action for {action.lead_agency.name} is due in {days} day{_plural(days)}"
    else:
        subject = f"action overdue since {action.target_date:%d/%m/%Y} ({review.reference})"
        lead = f"An action for {action.lead_agency.name} is {-days} day{_plural(-days)} past its target date"
    # The email names the review by reference only: the action's text stays behind sign-in.
    body = (
        f"{lead} (recommendation {action.recommendation.number} of review {review.reference}).\n\n"
        "Please sign in to report progress, with evidence, or to say what is in the way."
    )
    return subject, body


def action_reminder_send(*, action: Action, threshold: Threshold, today: datetime.date) -> bool:
    """Claim the action's reminder for this threshold and queue its email; False when an earlier
    run already sent it."""
    try:
        with transaction.atomic():
            ActionReminder.objects.create(action=action, threshold=threshold.key, target_date=action.target_date)
            subject, body = action_reminder_message(action, today)
            review = action.recommendation.review
            notify(
                recipients=action_reminder_recipients(action),
                review=review,
                subject=subject,
                body=body,
                link=reverse("actions:action_detail", args=[review.pk, action.pk]),
            )
    except IntegrityError:
        return False  # already sent by an earlier run
    return True


def action_reminders_send(*, today: datetime.date, partnership_ids: Collection[int] | None = None) -> int:
    """Queue every action reminder due today; returns how many were queued."""
    candidates = action_reminder_candidates(today, partnership_ids)
    # Skip what earlier runs sent without a failed insert for each; the constraint still
    # decides when two runs race.
    already = set(
        ActionReminder.objects.filter(action__in=candidates).values_list("action_id", "threshold", "target_date")
    )
    sent = 0
    for action in candidates:
        threshold = threshold_reached(ACTION_THRESHOLDS, action.target_date, today)
        if threshold is None or (action.pk, threshold.key, action.target_date) in already:
            continue
        sent += action_reminder_send(action=action, threshold=threshold, today=today)
    return sent


# --- IMRs --------------------------------------------------------------------------------------


def imr_reminder_candidates(today: datetime.date, partnership_ids: Collection[int] | None = None) -> QuerySet[Imr]:
    """IMRs still being written after their due date, of the given partnerships (None: of every one)."""
    candidates = Imr.objects.filter(
        due_date__lt=today, status__in=[str(s) for s in Imr.EDITABLE_STATUSES]
    ).select_related("review", "agency")
    if partnership_ids is not None:
        candidates = candidates.filter(review__partnership_id__in=partnership_ids)
    return candidates


def imr_reminder_recipients(imr: Imr) -> list[User]:
    """The review's chairs."""
    memberships = ReviewMembership.objects.filter(review=imr.review, role=ReviewMembership.Role.CHAIR)
    return [membership.user for membership in memberships.select_related("user")]


def imr_reminder_message(imr: Imr, today: datetime.date) -> tuple[str, str]:
    """The subject and body of a late IMR's reminder."""
    assert imr.due_date is not None  # a late IMR has a due date
    days = (today - imr.due_date).days
    subject = f"IMR overdue: {imr.agency.name} ({imr.review.reference})"
    body = (
        f"The IMR from {imr.agency.name} for review {imr.review.reference} was due on "
        f"{imr.due_date:%d/%m/%Y} and is {days} day{_plural(days)} overdue."
    )
    return subject, body


def imr_reminder_send(*, imr: Imr, threshold: Threshold, today: datetime.date) -> bool:
    """Claim the IMR's reminder for this threshold and queue its email; False when an earlier run
    already sent it."""
    assert imr.due_date is not None  # a late IMR has a due date
    recipients = imr_reminder_recipients(imr)
    subject, body = imr_reminder_message(imr, today)
    try:
        with transaction.atomic():
            ImrReminder.objects.create(imr=imr, threshold=threshold.key, due_date=imr.due_date)
            notify(
                recipients=recipients,
                review=imr.review,
                subject=subject,
                body=body,
                link=reverse("reviews:imr_detail", args=[imr.review_id, imr.pk]),
            )
    except IntegrityError:
        return False
    return True


def imr_reminders_send(*, today: datetime.date, partnership_ids: Collection[int] | None = None) -> int:
    """Queue every IMR reminder due today; returns how many were queued."""
    candidates = imr_reminder_candidates(today, partnership_ids)
    already = set(ImrReminder.objects.filter(imr__in=candidates).values_list("imr_id", "threshold", "due_date"))
    sent = 0
    for imr in candidates:
        assert imr.due_date is not None  # the candidates are past their due date
        threshold = threshold_reached(IMR_THRESHOLDS, imr.due_date, today)
        if threshold is None or (imr.pk, threshold.key, imr.due_date) in already:
            continue
        sent += imr_reminder_send(imr=imr, threshold=threshold, today=today)
    return sent


def reminders_send(*, today: datetime.date, partnership_ids: Collection[int] | None = None) -> dict[str, int]:
    """Queue every reminder due today, of the given partnerships (None: of every partnership);
    returns how many of each kind were queued."""
    return {
        "actions": action_reminders_send(today=today, partnership_ids=partnership_ids),
        "imrs": imr_reminders_send(today=today, partnership_ids=partnership_ids),
        "meetings": meeting_reminders.meeting_reminders_send(today=today, partnership_ids=partnership_ids),
        "actions_arising": meeting_reminders.action_arising_reminders_send(
            today=today, partnership_ids=partnership_ids
        ),
    }
