"""Writes for the scoping stage: the notification, the information gathered from agencies and
the decision whether to hold a full review. Each service validates everything it is given,
names each problem at its field, changes the rows and records the audit entry in one
transaction: nothing is half-saved.

The dates go where the statutory clocks read them: the notification's date is the review's
``notification_date`` and the decision's its ``decision_date``; a milestone the decision meets
that no review date records (the rapid review's completion) is met on the clock itself. A
decision not to proceed closes the review (stage "Closed: not proceeding"), read-only until the
decision is recorded again as proceeding."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from reviews import clocks
from reviews.archived import ARCHIVED_MESSAGE, NOT_PROCEEDING_MESSAGE
from reviews.audit import audit_record, audit_value
from reviews.models import Agency, ClockMet, Review
from reviews.publication import normalise
from reviews.scoping_models import ScopingInformation, ScopingRecord
from reviews.validators import one_line_problem

MAX_SUMMARY = 5000


def _review_locked(review: Review, *, decision: bool = False) -> Review:
    """The review's row as it stands, locked for this change: refused once archived, and (for
    anything but the decision itself) once closed by a decision not to proceed."""
    current = Review.objects.select_for_update().select_related("partnership").get(pk=review.pk)
    if current.archived_at is not None:
        raise ValidationError(ARCHIVED_MESSAGE)
    if not decision and current.stage == Review.Stage.NOT_PROCEEDING:
        raise ValidationError(NOT_PROCEEDING_MESSAGE)
    return current


def _date_problem(value: datetime.date | None, what: str, *, today: datetime.date, required: bool = True) -> str:
    if value is None:
        return f"Give {what}." if required else ""
    if value > today:
        return f"{what[0].upper()}{what[1:]} ({value:%d/%m/%Y}) is in the future."
    return ""


def _text_problem(value: str, what: str, *, required: bool, limit: int = MAX_SUMMARY) -> str:
    if required and not value:
        return f"Give {what}."
    if len(value) > limit:
        return f"{what[0].upper()}{what[1:]} is {len(value)} characters long: shorten it to {limit}."
    return ""


def _agency_problem(review: Review, agency: Agency | None, *, required: bool) -> str:
    if agency is None:
        return "Choose the agency." if required else ""
    if agency.partnership_id != review.partnership_id:
        return f"{agency.name} is not in {review.partnership.name}'s directory of agencies."
    return ""


def _raise(errors: dict[str, str]) -> None:
    errors = {field: message for field, message in errors.items() if message}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def scoping_notification_save(
    *,
    actor: User,
    review: Review,
    received_on: datetime.date | None,
    notified_by: str,
    notifying_agency: Agency | None,
    circumstances: str,
    today: datetime.date,
) -> ScopingRecord:
    """Record (or correct) the notification that started the review: its date (the review's
    notification date, which starts the clocks), who made it and the circumstances."""
    review = _review_locked(review)
    notified_by = normalise(notified_by).strip()
    circumstances = normalise(circumstances).strip()
    errors = {
        "received_on": _date_problem(received_on, "the date the notification was received", today=today),
        "notified_by": one_line_problem(notified_by, "Who notified")
        or _text_problem(notified_by, "who made the notification", required=True, limit=200),
        "notifying_agency": _agency_problem(review, notifying_agency, required=False),
        "circumstances": _text_problem(circumstances, "a summary of the circumstances", required=True),
    }
    if received_on and review.decision_date and received_on > review.decision_date:
        errors["received_on"] = (
            f"The notification ({received_on:%d/%m/%Y}) cannot come after the decision "
            f"({review.decision_date:%d/%m/%Y})."
        )
    _raise(errors)
    record = ScopingRecord.objects.filter(review=review).first() or ScopingRecord(review=review)
    before = {
        "received_on": review.notification_date,
        "notified_by": record.notified_by,
        "notifying_agency": record.notifying_agency.name if record.notifying_agency else "",
        "circumstances": record.circumstances,
    }
    record.notified_by, record.notifying_agency, record.circumstances = notified_by, notifying_agency, circumstances
    record.save()
    review.notification_date = received_on
    review.save(update_fields=["notification_date", "updated_at"])
    after = {
        "received_on": received_on,
        "notified_by": notified_by,
        "notifying_agency": notifying_agency.name if notifying_agency else "",
        "circumstances": circumstances,
    }
    changes = {
        name: ("changed" if name == "circumstances" else [audit_value(before[name]), audit_value(value)])
        for name, value in after.items()
        if before[name] != value
    }
    if changes:
        audit_record(actor=actor, action="scoping.notification_saved", obj=record, review=review, detail=changes)
    return record


def _information_validate(
    review: Review,
    *,
    agency: Agency | None,
    requested_on: datetime.date | None,
    received_on: datetime.date | None,
    summary: str,
    today: datetime.date,
) -> None:
    errors = {
        "agency": _agency_problem(review, agency, required=True),
        "requested_on": _date_problem(requested_on, "the date the information was requested", today=today),
        "received_on": _date_problem(received_on, "the date it was received", today=today, required=False),
        "summary": _text_problem(summary, "what the agency said", required=bool(received_on)),
    }
    if requested_on and received_on and received_on < requested_on and not errors["received_on"]:
        errors["received_on"] = (
            f"The information cannot be received ({received_on:%d/%m/%Y}) before it was requested "
            f"({requested_on:%d/%m/%Y})."
        )
    _raise(errors)


@transaction.atomic
def scoping_information_add(
    *,
    actor: User,
    review: Review,
    agency: Agency | None,
    requested_on: datetime.date | None,
    received_on: datetime.date | None = None,
    summary: str = "",
    today: datetime.date,
) -> ScopingInformation:
    """Record a request to an agency for what it knew, and its answer once it comes."""
    review = _review_locked(review)
    summary = normalise(summary).strip()
    _information_validate(
        review, agency=agency, requested_on=requested_on, received_on=received_on, summary=summary, today=today
    )
    assert agency is not None and requested_on is not None  # checked above
    information = ScopingInformation.objects.create(
        review=review, agency=agency, requested_on=requested_on, received_on=received_on, summary=summary
    )
    audit_record(
        actor=actor,
        action="scoping.information_added",
        obj=information,
        review=review,
        detail={"agency": agency.name, "requested_on": requested_on.isoformat(), "received": received_on is not None},
    )
    return information


@transaction.atomic
def scoping_information_update(
    *,
    actor: User,
    information: ScopingInformation,
    agency: Agency | None,
    requested_on: datetime.date | None,
    received_on: datetime.date | None,
    summary: str,
    today: datetime.date,
) -> ScopingInformation:
    review = _review_locked(information.review)
    summary = normalise(summary).strip()
    _information_validate(
        review, agency=agency, requested_on=requested_on, received_on=received_on, summary=summary, today=today
    )
    assert agency is not None and requested_on is not None  # checked above
    before = (information.agency_id, information.requested_on, information.received_on, information.summary)
    information.agency, information.requested_on = agency, requested_on
    information.received_on, information.summary = received_on, summary
    if before != (agency.pk, requested_on, received_on, summary):
        information.save()
        audit_record(
            actor=actor,
            action="scoping.information_updated",
            obj=information,
            review=review,
            detail={"agency": agency.name, "received_on": audit_value(received_on)},
        )
    return information


@transaction.atomic
def scoping_information_delete(*, actor: User, information: ScopingInformation) -> None:
    review = _review_locked(information.review)
    audit_record(
        actor=actor,
        action="scoping.information_deleted",
        obj=information,
        review=review,
        detail={"agency": information.agency.name, "requested_on": information.requested_on.isoformat()},
    )
    information.delete()


def _decision_validate(
    review: Review, *, decision: str, decided_on: datetime.date | None, reasons: str, today: datetime.date
) -> None:
    errors = {
        "decision": ""
        if decision in ScopingRecord.Decision.values
        else "Choose whether to conduct a full review or not.",
        "decided_on": _date_problem(decided_on, "the date of the decision", today=today),
        "reasons": _text_problem(reasons, "the reasons for the decision", required=True),
    }
    if review.notification_date is None:
        errors["decided_on"] = "Record the notification (the date it was received) before the decision."
    elif decided_on and decided_on < review.notification_date:
        errors["decided_on"] = (
            f"The decision ({decided_on:%d/%m/%Y}) cannot come before the notification "
            f"({review.notification_date:%d/%m/%Y})."
        )
    _raise(errors)


@transaction.atomic
def scoping_decide(
    *,
    actor: User,
    review: Review,
    decision: str,
    decided_on: datetime.date | None,
    reasons: str,
    today: datetime.date,
) -> ScopingRecord:
    """Record the decision whether to hold a full review, with its reasons, who decided and
    when. Not proceeding closes the review; proceeding (again) opens it at the scoping stage."""
    review = _review_locked(review, decision=True)
    reasons = normalise(reasons).strip()
    _decision_validate(review, decision=decision, decided_on=decided_on, reasons=reasons, today=today)
    assert decided_on is not None  # checked above
    record = ScopingRecord.objects.filter(review=review).first()
    if record is None:
        raise ValidationError({"decision": "Record the notification before the decision."})
    before = {"decision": record.decision, "decided_on": audit_value(review.decision_date), "stage": review.stage}
    record.decision, record.reasons = decision, reasons
    record.decided_by, record.decided_by_name = actor, actor.display_name
    record.save()
    review.decision_date = decided_on
    if decision == ScopingRecord.Decision.NOT_PROCEEDING:
        review.stage = Review.Stage.NOT_PROCEEDING
    elif review.stage == Review.Stage.NOT_PROCEEDING:
        review.stage = Review.Stage.SCOPING
    review.save(update_fields=["decision_date", "stage", "updated_at"])
    _decision_meets_clock(review, decided_on, actor=actor)
    after = {"decision": decision, "decided_on": decided_on.isoformat(), "stage": review.stage}
    audit_record(
        actor=actor,
        action="scoping.decided",
        obj=record,
        review=review,
        detail={name: [before[name], value] for name, value in after.items()},
    )
    return record


def _decision_meets_clock(review: Review, decided_on: datetime.date, *, actor: User) -> None:
    """The decision meets its type's milestone: by the review's decision date (a DHR's
    "Decision to hold a review"), or on the clock itself (a rapid review's completion)."""
    rule = clocks.decision_rule(review.review_type)
    if rule is not None and rule.met_field is None:
        ClockMet.objects.update_or_create(
            review=review, milestone=rule.key, defaults={"met_on": decided_on, "recorded_by": actor}
        )
