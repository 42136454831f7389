"""The board's process view: how each review on the dashboard is running. Its scoping decision,
its next panel meeting, its open and overdue actions arising, the family's involvement and its
submission, each read for all the dashboard's reviews at once, so the dashboard stays a fixed
number of queries however many reviews the board has (one each for meetings, actions arising,
family involvement and submissions; the scoping record comes with the reviews)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from reports.submission_models import SubmissionFeedback, SubmissionPack
from reviews import scoping_selectors
from reviews.family_selectors import family_involvement_status_by_review
from reviews.meeting_models import PanelMeeting
from reviews.meeting_selectors import next_meeting_by_review, open_actions_arising_by_review
from reviews.models import Review


@dataclass(frozen=True)
class SubmissionStatus:
    key: str  # not_started, pack_made, feedback
    label: str
    # The quality-assurance panel's outcome needs the board's attention (resubmit, not approved...).
    attention: bool = False


NOT_SUBMITTED = SubmissionStatus("not_started", "No pack made yet")
OUTCOMES_NEEDING_WORK = (
    SubmissionFeedback.Outcome.RESUBMIT,
    SubmissionFeedback.Outcome.FURTHER_INFORMATION,
    SubmissionFeedback.Outcome.NOT_APPROVED,
)


def submission_status_by_review(review_ids: Sequence[int]) -> dict[int, SubmissionStatus]:
    """Each review's submission as it stands: the latest feedback of the quality-assurance panel
    when there is some, else the latest submission pack made, else none (one query)."""
    if not review_ids:
        return {}
    feedback = SubmissionFeedback.objects.filter(review=OuterRef("pk")).order_by("-received_on", "-pk")
    packs = SubmissionPack.objects.filter(review=OuterRef("pk"), status=SubmissionPack.Status.READY)
    rows = (
        Review.objects.filter(pk__in=list(review_ids))
        .annotate(
            outcome=Subquery(feedback.values("outcome")[:1]),
            feedback_on=Subquery(feedback.values("received_on")[:1]),
            pack_at=Subquery(packs.order_by("-finished_at", "-pk").values("finished_at")[:1]),
        )
        .values_list("pk", "outcome", "feedback_on", "pack_at")
    )
    outcomes = dict(SubmissionFeedback.Outcome.choices)
    statuses: dict[int, SubmissionStatus] = {}
    for pk, outcome, feedback_on, pack_at in rows:
        if outcome:
            label = f"{outcomes.get(outcome, outcome)} ({feedback_on:%d %b %Y})"
            statuses[pk] = SubmissionStatus("feedback", label, attention=outcome in OUTCOMES_NEEDING_WORK)
        elif pack_at:
            statuses[pk] = SubmissionStatus("pack_made", f"Pack made {pack_at:%d %b %Y}")
        else:
            statuses[pk] = NOT_SUBMITTED
    return statuses


@dataclass(frozen=True)
class ReviewProcess:
    decision: scoping_selectors.DecisionStatus
    next_meeting: PanelMeeting | None
    actions_open: int
    actions_overdue: int
    family: str
    submission: SubmissionStatus


def review_processes(
    reviews: Sequence[Review], *, now: datetime.datetime, today: datetime.date
) -> dict[int, ReviewProcess]:
    """How each of ``reviews`` is running, by review id (4 queries, whatever their number; load
    the reviews with ``select_related("scoping")`` so their decisions cost none)."""
    ids = [review.pk for review in reviews]
    meetings = next_meeting_by_review(ids, now)
    actions = open_actions_arising_by_review(ids, today)
    family = family_involvement_status_by_review(ids)
    submissions = submission_status_by_review(ids)
    processes = {}
    for review in reviews:
        record = scoping_selectors.review_scoping_record(review)
        open_, overdue = actions.get(review.pk, (0, 0))
        processes[review.pk] = ReviewProcess(
            decision=scoping_selectors.decision_status(review, record),
            next_meeting=meetings.get(review.pk),
            actions_open=open_,
            actions_overdue=overdue,
            family=family.get(review.pk, ""),
            submission=submissions.get(review.pk, NOT_SUBMITTED),
        )
    return processes
