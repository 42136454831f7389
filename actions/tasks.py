"""Reminders, run by Celery beat (``CELERY_BEAT_SCHEDULE["action-plan-reminders"]``).

Owners hear about an open action before its target date and after it passes; a review's
chairs hear about IMRs past their due date. Each reminder is a row claimed under a unique
constraint before its email is queued, in one transaction, so a job run twice (or two beat
processes by mistake) sends each reminder once."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from celery import shared_task
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionReminder, BoardPlanExport, ImrReminder
from casereview import jobs
from reviews.models import Imr, ReviewMembership
from reviews.notifications import notify

logger = logging.getLogger(__name__)


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


def _action_recipients(action: Action) -> list:
    if action.owner_id and action.owner.is_active:
        return [action.owner]
    memberships = ReviewMembership.objects.filter(
        review_id=action.recommendation.review_id, role=ReviewMembership.Role.ACTION_OWNER, agency=action.lead_agency_id
    ).select_related("user")
    return [membership.user for membership in memberships]


def _action_message(action: Action, threshold: Threshold, today: datetime.date) -> tuple[str, str]:
    review = action.recommendation.review
    days = (action.target_date - today).days
    if days >= 0:
        subject = f"action due {action.target_date:%d/%m/%Y} ({review.reference})"
        lead = f"An action for {action.lead_agency.name} is due in {days} day{'s' if days != 1 else ''}"
    else:
        subject = f"action overdue since {action.target_date:%d/%m/%Y} ({review.reference})"
        lead = f"An action for {action.lead_agency.name} is {-days} day{'s' if days != -1 else ''} past its target date"
    # The email names the review by reference only: the action's text stays behind sign-in.
    body = (
        f"{lead} (recommendation {action.recommendation.number} of review {review.reference}).\n\n"
        "Please sign in to report progress, with evidence, or to say what is in the way."
    )
    return subject, body


@shared_task
def reminders_send(today_iso: str | None = None) -> dict[str, int]:
    """Queue every reminder due today; returns how many of each kind were queued."""
    today = datetime.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return {"actions": _action_reminders(today), "imrs": _imr_reminders(today)}


def _action_reminders(today: datetime.date) -> int:
    earliest = min(t.offset for t in ACTION_THRESHOLDS)
    # Open actions whose target date is within reach of a threshold (index action_status_target).
    candidates = Action.objects.filter(
        status__in=[str(s) for s in Action.OPEN_STATUSES],
        target_date__lte=today - datetime.timedelta(days=earliest),
    ).select_related("recommendation__review", "lead_agency", "owner")
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
        try:
            with transaction.atomic():
                ActionReminder.objects.create(action=action, threshold=threshold.key, target_date=action.target_date)
                subject, body = _action_message(action, threshold, today)
                review = action.recommendation.review
                notify(
                    recipients=_action_recipients(action),
                    review=review,
                    subject=subject,
                    body=body,
                    link=reverse("actions:action_detail", args=[review.pk, action.pk]),
                )
        except IntegrityError:
            continue  # already sent by an earlier run
        sent += 1
    return sent


def _imr_reminders(today: datetime.date) -> int:
    candidates = Imr.objects.filter(
        due_date__lt=today, status__in=[str(s) for s in Imr.EDITABLE_STATUSES]
    ).select_related("review", "agency")
    already = set(ImrReminder.objects.filter(imr__in=candidates).values_list("imr_id", "threshold", "due_date"))
    sent = 0
    for imr in candidates:
        threshold = threshold_reached(IMR_THRESHOLDS, imr.due_date, today)
        if threshold is None or (imr.pk, threshold.key, imr.due_date) in already:
            continue
        chairs = [
            m.user
            for m in ReviewMembership.objects.filter(
                review=imr.review, role=ReviewMembership.Role.CHAIR
            ).select_related("user")
        ]
        days = (today - imr.due_date).days
        try:
            with transaction.atomic():
                ImrReminder.objects.create(imr=imr, threshold=threshold.key, due_date=imr.due_date)
                notify(
                    recipients=chairs,
                    review=imr.review,
                    subject=f"IMR overdue: {imr.agency.name} ({imr.review.reference})",
                    body=(
                        f"The IMR from {imr.agency.name} for review {imr.review.reference} was due on "
                        f"{imr.due_date:%d/%m/%Y} and is {days} day{'s' if days != 1 else ''} overdue."
                    ),
                    link=reverse("reviews:imr_detail", args=[imr.review_id, imr.pk]),
                )
        except IntegrityError:
            continue
        sent += 1
    return sent


@shared_task
def board_export_build_task(export_id: int) -> str:
    """Make one board export (casereview.jobs)."""
    from actions import board_exports

    return jobs.job_execute(BoardPlanExport, export_id, board_exports.board_export_make)
