"""Statutory clocks: the milestones each type of review must meet, when each falls due, and
whether it was met.

The milestones are data (``CLOCKS``), one tuple per review type, so a change in statutory
guidance is a change to one table. Working days skip weekends and the England and Wales bank
holidays from the ``holidays`` package (subdivision "ENG": Wales shares England's bank
holidays). A milestone's due date can be extended by agreement; each extension is a row with
its reason, who agreed it and when, and the latest one sets the due date.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, cast

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field

from accounts.models import User
from casereview.months import add_months
from reviews.audit import audit_record
from reviews.models import ClockExtension, ClockMet, Review

Unit = Literal["working_days", "calendar_days", "months"]


@dataclass(frozen=True)
class MilestoneRule:
    key: str
    label: str
    # The review date field the clock starts from.
    starts_from: str
    amount: int
    unit: Unit
    # The review date field recording that the milestone was met; None when the date is
    # recorded on the clock itself (a ClockMet row).
    met_field: str | None = None
    # Statutory guidance rather than a statutory requirement.
    guidance: bool = False
    # Met by the scoping stage's decision whether to hold a full review (its date).
    met_by_decision: bool = False


# PRODUCT.md section 2. Each review type's milestones, in the order they fall.
CLOCKS: dict[str, tuple[MilestoneRule, ...]] = {
    Review.Type.CSPR: (
        MilestoneRule(
            "notification", "Serious incident notified", "incident_date", 5, "working_days", "notification_date"
        ),
        MilestoneRule("publication", "Review published", "decision_date", 6, "months"),
    ),
    Review.Type.RAPID: (
        MilestoneRule(
            "notification", "Serious incident notified", "incident_date", 5, "working_days", "notification_date"
        ),
        MilestoneRule(
            "rapid_review", "Rapid Review completed", "notification_date", 15, "working_days", met_by_decision=True
        ),
    ),
    Review.Type.DHR: (
        MilestoneRule(
            "decision",
            "Decision to hold a review",
            "notification_date",
            1,
            "months",
            "decision_date",
            met_by_decision=True,
        ),
        # "Unless the partnership agrees otherwise": that agreement is an extension.
        MilestoneRule("completion", "Review completed", "decision_date", 6, "months"),
    ),
    Review.Type.SAR: (MilestoneRule("completion", "Review completed", "decision_date", 6, "months", guidance=True),),
    Review.Type.SCR: (MilestoneRule("completion", "Review completed", "decision_date", 6, "months", guidance=True),),
}


def rules_for(review_type: str) -> tuple[MilestoneRule, ...]:
    return CLOCKS.get(review_type, ())


def rule_get(review_type: str, key: str) -> MilestoneRule | None:
    return next((rule for rule in rules_for(review_type) if rule.key == key), None)


def decision_rule(review_type: str) -> MilestoneRule | None:
    """The milestone the decision whether to hold a full review meets, if the type has one."""
    return next((rule for rule in rules_for(review_type) if rule.met_by_decision), None)


# --- Dates -----------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def due_date_for(rule: MilestoneRule, start: datetime.date) -> datetime.date:
    if rule.unit == "working_days":
        return add_working_days(start, rule.amount)
    if rule.unit == "calendar_days":
        return start + datetime.timedelta(days=rule.amount)
    return add_months(start, rule.amount)


def describe(rule: MilestoneRule) -> str:
    """'5 working days from the incident date', for the clock page."""
    unit = {"working_days": "working day", "calendar_days": "calendar day", "months": "month"}[rule.unit]
    plural = "" if rule.amount == 1 else "s"
    start = cast(Field, Review._meta.get_field(rule.starts_from)).verbose_name
    return f"{rule.amount} {unit}{plural} from the {start}"


# --- Clock state -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    rule: MilestoneRule
    start: datetime.date | None
    statutory_due: datetime.date | None
    due: datetime.date | None
    extensions: tuple[ClockExtension, ...]
    met_on: datetime.date | None
    today: datetime.date
    # The partnership decided not to hold a full review: a milestone of the full review never falls due.
    not_needed: bool = False

    @property
    def key(self) -> str:
        return self.rule.key

    @property
    def label(self) -> str:
        return self.rule.label

    @property
    def extended(self) -> bool:
        return bool(self.extensions)

    @property
    def state(self) -> str:
        """not_needed (no full review), not_started (the clock's start date is not recorded), met,
        met_late, due or overdue."""
        if self.not_needed:
            return "not_needed"
        if self.due is None:
            return "not_started"
        if self.met_on is not None:
            return "met" if self.met_on <= self.due else "met_late"
        return "overdue" if self.due < self.today else "due"

    @property
    def state_label(self) -> str:
        return {
            "not_needed": "Not needed: no full review",
            "not_started": "Clock not started",
            "met": "Met",
            "met_late": "Met late",
            "due": "Due",
            "overdue": "Overdue",
        }[self.state]

    @property
    def is_open(self) -> bool:
        return self.state in ("due", "overdue")

    @property
    def days_left(self) -> int | None:
        return (self.due - self.today).days if self.due and self.met_on is None else None


def review_clock(
    review: Review,
    *,
    today: datetime.date,
    extensions: Iterable[ClockExtension] | None = None,
    met: Iterable[ClockMet] | None = None,
) -> list[Milestone]:
    """The review's milestones as they stand on ``today``. Pass ``extensions`` and ``met``
    (the review's rows) when they are already loaded, as the dashboard does for many reviews."""
    if extensions is None:
        extensions = review.clock_extensions.all()
    if met is None:
        met = review.clock_met.all()
    extensions_by_key: dict[str, list[ClockExtension]] = {}
    for extension in sorted(extensions, key=lambda e: (e.created_at, e.pk)):
        extensions_by_key.setdefault(extension.milestone, []).append(extension)
    met_by_key = {row.milestone: row.met_on for row in met}
    not_proceeding = review.stage == Review.Stage.NOT_PROCEEDING
    milestones = []
    for rule in rules_for(review.review_type):
        start = getattr(review, rule.starts_from)
        statutory_due = due_date_for(rule, start) if start else None
        agreed = tuple(extensions_by_key.get(rule.key, ()))
        due = agreed[-1].due_date if agreed and statutory_due else statutory_due
        met_on = getattr(review, rule.met_field) if rule.met_field else met_by_key.get(rule.key)
        not_needed = not_proceeding and not rule.met_by_decision and met_on is None
        milestones.append(Milestone(rule, start, statutory_due, due, agreed, met_on, today, not_needed))
    return milestones


def next_deadline(milestones: Iterable[Milestone]) -> Milestone | None:
    """The earliest milestone not yet met."""
    open_ = [m for m in milestones if m.is_open]
    return min(open_, key=lambda m: m.due or datetime.date.max) if open_ else None  # an open one has a due date


# --- Writes ----------------------------------------------------------------------------------


@transaction.atomic
def clock_extension_add(
    *, actor: User, review: Review, milestone: str, due_date: datetime.date, reason: str, today: datetime.date
) -> ClockExtension:
    """Record an agreed extension. The new due date must be later than the current one."""
    rule = rule_get(review.review_type, milestone)
    if rule is None:
        raise ValidationError(
            {"milestone": f'"{milestone}" is not a milestone of a {review.get_review_type_display()}.'}
        )
    current = next(m for m in review_clock(review, today=today) if m.key == milestone)
    errors: dict[str, str] = {}
    if current.due is None:
        errors["milestone"] = (
            f'"{rule.label}" has no due date yet: record the {describe(rule).split(" from the ")[1]} first.'
        )
    elif due_date <= current.due:
        errors["due_date"] = (
            f"An extension must end after the current due date ({current.due:%d/%m/%Y}); {due_date:%d/%m/%Y} does not."
        )
    if current.met_on is not None:
        errors["milestone"] = f'"{rule.label}" was met on {current.met_on:%d/%m/%Y}: it needs no extension.'
    if not reason.strip():
        errors["reason"] = "Say why the extension was agreed."
    if errors:
        raise ValidationError(errors)
    assert current.due is not None  # no due date is one of the errors above
    extension = ClockExtension.objects.create(
        review=review,
        milestone=milestone,
        due_date=due_date,
        reason=reason.strip(),
        agreed_by=actor,
        agreed_by_name=actor.display_name,
    )
    audit_record(
        actor=actor,
        action="clock.extended",
        obj=extension,
        review=review,
        detail={"milestone": milestone, "from": current.due.isoformat(), "to": due_date.isoformat()},
    )
    return extension


@transaction.atomic
def clock_met_record(*, actor: User, review: Review, milestone: str, met_on: datetime.date | None) -> None:
    """Record (or clear, with None) the date a milestone was met, for milestones whose date
    is not one of the review's own dates."""
    rule = rule_get(review.review_type, milestone)
    if rule is None:
        raise ValidationError(
            {"milestone": f'"{milestone}" is not a milestone of a {review.get_review_type_display()}.'}
        )
    if rule.met_field:
        field = cast(Field, Review._meta.get_field(rule.met_field)).verbose_name
        raise ValidationError({"milestone": f'"{rule.label}" is met by the review\'s {field}: edit the review.'})
    if met_on is None:
        ClockMet.objects.filter(review=review, milestone=milestone).delete()
    else:
        ClockMet.objects.update_or_create(
            review=review, milestone=milestone, defaults={"met_on": met_on, "recorded_by": actor}
        )
    audit_record(
        actor=actor,
        action="clock.met_recorded" if met_on else "clock.met_cleared",
        obj=review,
        detail={"milestone": milestone, "met_on": met_on.isoformat() if met_on else None},
        object_repr=f"{review.reference}: {rule.label}",
    )
