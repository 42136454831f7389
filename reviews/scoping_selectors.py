"""Reads for the scoping stage: one review's scoping page, each review's decision status (for
the dashboard) and the board's list of decisions with whether each was made in time.

A review without a scoping record was opened as a full review (every review opened before the
scoping stage existed among them): it counts as proceeding."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from casereview.spreadsheets import spreadsheet_safe
from reviews import clocks
from reviews.models import Agency, ClockExtension, ClockMet, Partnership, Review
from reviews.scoping_models import ScopingInformation, ScopingRecord


@dataclass(frozen=True)
class DecisionStatus:
    key: str  # awaiting, proceed, not_proceeding
    label: str


AWAITING = DecisionStatus("awaiting", "Awaiting the decision")
PROCEEDING = DecisionStatus("proceed", "Full review")
NOT_PROCEEDING = DecisionStatus("not_proceeding", "Not proceeding")
STATUSES = (AWAITING, PROCEEDING, NOT_PROCEEDING)


def decision_status(review: Review, record: ScopingRecord | None) -> DecisionStatus:
    if review.stage == Review.Stage.NOT_PROCEEDING:
        return NOT_PROCEEDING
    if record is None or record.decision == ScopingRecord.Decision.PROCEED:
        return PROCEEDING
    return AWAITING


def review_scoping_record(review: Review) -> ScopingRecord | None:
    """The review's scoping record, or None: read through the related object, so a review loaded
    with ``select_related("scoping")`` costs no query."""
    try:
        return review.scoping
    except ScopingRecord.DoesNotExist:
        return None


@dataclass(frozen=True)
class Timeliness:
    """The decision against its statutory milestone: ``milestone`` None for a review type with
    no time limit on the decision."""

    milestone: clocks.Milestone | None

    @property
    def label(self) -> str:
        m = self.milestone
        if m is None:
            return "No statutory time limit"
        if m.state == "met":
            return "Within the statutory time"
        if m.state == "met_late":
            return f"Late: due {m.due:%d/%m/%Y}"
        if m.state == "overdue":
            return f"Overdue: due {m.due:%d/%m/%Y}"
        if m.state == "due":
            return f"Due by {m.due:%d/%m/%Y}"
        return "Clock not started"

    @property
    def in_time(self) -> bool | None:
        """True met in time, False met late or overdue, None otherwise."""
        state = self.milestone.state if self.milestone else ""
        return {"met": True, "met_late": False, "overdue": False}.get(state)


def decision_timeliness(
    review: Review,
    *,
    today: datetime.date,
    extensions: Iterable[ClockExtension] | None = None,
    met: Iterable[ClockMet] | None = None,
) -> Timeliness:
    rule = clocks.decision_rule(review.review_type)
    if rule is None:
        return Timeliness(None)
    milestones = clocks.review_clock(review, today=today, extensions=extensions, met=met)
    return Timeliness(next(m for m in milestones if m.key == rule.key))


@dataclass(frozen=True)
class ScopingPage:
    record: ScopingRecord | None
    information: list[ScopingInformation]
    status: DecisionStatus
    timeliness: Timeliness


def scoping_page(review: Review, *, today: datetime.date) -> ScopingPage:
    record = ScopingRecord.objects.select_related("notifying_agency").filter(review=review).first()
    information = list(ScopingInformation.objects.filter(review=review).select_related("agency"))
    return ScopingPage(record, information, decision_status(review, record), decision_timeliness(review, today=today))


# --- The board's list of decisions ---------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRow:
    review: Review
    record: ScopingRecord | None
    status: DecisionStatus
    timeliness: Timeliness


DECISION_FILTERS = {status.key: status.label for status in STATUSES}


def partnership_decisions(partnership: Partnership, *, today: datetime.date, status: str = "") -> list[DecisionRow]:
    """Every review of the board with a scoping record or a decision date, newest notification
    first, with its decision and whether it was made in time (3 queries whatever the number)."""
    reviews = (
        Review.objects.filter(partnership=partnership)
        .filter(Q(scoping__isnull=False) | Q(decision_date__isnull=False))
        .select_related("scoping")
        .order_by("-notification_date", "reference")
    )
    extensions: dict[int, list[ClockExtension]] = {}
    for extension in ClockExtension.objects.filter(review__in=reviews):
        extensions.setdefault(extension.review_id, []).append(extension)
    met: dict[int, list[ClockMet]] = {}
    for row in ClockMet.objects.filter(review__in=reviews):
        met.setdefault(row.review_id, []).append(row)
    rows = []
    for review in reviews:
        record = review_scoping_record(review)
        row_status = decision_status(review, record)
        if status and row_status.key != status:
            continue
        timeliness = decision_timeliness(
            review, today=today, extensions=extensions.get(review.pk, []), met=met.get(review.pk, [])
        )
        rows.append(DecisionRow(review, record, row_status, timeliness))
    return rows


def decisions_csv(rows: Iterable[DecisionRow]) -> bytes:
    """The board's decisions as CSV (UTF-8 with a byte order mark for Excel), every cell safe to
    open in a spreadsheet."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(
        ["Reference", "Case name", "Type", "Notified", "Notified by", "Decision", "Decided on", "Decided by",
         "Within the statutory time", "Timeliness", "Reasons"]
    )  # fmt: skip
    for row in rows:
        review, record = row.review, row.record
        in_time = {True: "Yes", False: "No", None: ""}[row.timeliness.in_time]
        writer.writerow(
            spreadsheet_safe(value)
            for value in (
                review.reference,
                review.case_name,
                review.get_review_type_display(),
                review.notification_date.isoformat() if review.notification_date else "",
                record.notified_by if record else "",
                row.status.label,
                review.decision_date.isoformat() if review.decision_date and row.status != AWAITING else "",
                record.decided_by_name if record else "",
                in_time,
                row.timeliness.label,
                record.reasons if record else "",
            )
        )
    return buffer.getvalue().encode("utf-8")


def scoping_information_get(review: Review, pk: int) -> ScopingInformation | None:
    return ScopingInformation.objects.select_related("agency", "review").filter(review=review, pk=pk).first()


def review_agencies(review: Review) -> QuerySet[Agency]:
    """The partnership's directory, for the scoping forms' choices."""
    return Agency.objects.filter(partnership_id=review.partnership_id).order_by("name")
