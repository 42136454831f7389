"""Writes for a review's own record: creating it, changing its details and stage, and its key
lines of enquiry. Each service validates the review as a whole, changes the rows and records the
audit entry in the same transaction; a failure raises ``ValidationError`` with a message per field."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from accounts.models import User
from reviews.archived import review_ensure_open
from reviews.audit import audit_record, audit_value
from reviews.models import Agency, KeyLineOfEnquiry, Partnership, Review
from reviews.publication import normalise
from reviews.validators import one_line_problem

# Fields a review edit may change, in the order the audit detail lists them.
REVIEW_EDITABLE_FIELDS = (
    "reference",
    "review_type",
    "case_name",
    "incident_date",
    "notification_date",
    "decision_date",
    "scope_start",
    "scope_end",
    "terms_of_reference",
    "stage",
    "report_author",
)


def _review_validate(review: Review) -> None:
    errors: dict[str, str] = {}
    if not review.reference.strip():
        errors["reference"] = "A review needs a reference."
    if review.review_type not in Review.Type.values:
        errors["review_type"] = (
            f'"{review.review_type}" is not a review type; use one of {", ".join(Review.Type.values)}.'
        )
    if not review.case_name.strip():
        errors["case_name"] = "A review needs a case name."
    for field, what in (
        ("reference", "The reference"),
        ("case_name", "The case name"),
        ("report_author", "The author of the overview report"),
    ):
        if problem := one_line_problem(getattr(review, field), what):
            errors[field] = problem
    if len(review.report_author) > 200:
        errors["report_author"] = "The author of the overview report is longer than 200 characters: shorten it."
    if review.stage not in Review.Stage.values:
        errors["stage"] = f'"{review.stage}" is not a review stage.'
    elif review.stage == Review.Stage.NOT_PROCEEDING:
        errors["stage"] = "A review closes as not proceeding by the decision on its scoping page, with its reasons."
    if review.scope_start and review.scope_end and review.scope_end < review.scope_start:
        errors["scope_end"] = (
            f"The review period ends ({review.scope_end:%d/%m/%Y}) before it starts ({review.scope_start:%d/%m/%Y})."
        )
    if review.notification_date and review.decision_date and review.decision_date < review.notification_date:
        errors["decision_date"] = "The decision to review cannot come before the notification."
    duplicate = Review.objects.filter(partnership=review.partnership, reference__iexact=review.reference.strip())
    if review.pk:
        duplicate = duplicate.exclude(pk=review.pk)
    if review.reference.strip() and duplicate.exists():
        errors["reference"] = f'The partnership already has a review with reference "{review.reference.strip()}".'
    if errors:
        raise ValidationError(errors)


def _key_lines_replace(review: Review, key_lines: Sequence[str]) -> None:
    """Make the review's key lines of enquiry these, in this order, keeping each existing line
    (and the agencies' answers to it) wherever it can: an unchanged line keeps its row, an
    edited line takes over the row of the line it replaced. A line that agencies have already
    answered cannot be removed."""
    wanted = [normalise(line).strip() for line in key_lines if normalise(line).strip()]
    spare = list(review.key_lines.order_by("position"))
    kept: dict[int, KeyLineOfEnquiry] = {}
    for index, text in enumerate(wanted):
        line = next((line for line in spare if line.text == text), None)
        if line is not None:
            kept[index] = line
            spare.remove(line)
    for index, text in enumerate(wanted):
        if index not in kept and spare:
            kept[index] = spare.pop(0)
            kept[index].text = text
    answered = [line for line in spare if line.answers.exclude(text="").exists()]
    if answered:
        raise ValidationError(
            {
                "key_lines": f"Agencies have answered key line {answered[0].position}; "
                "it cannot be removed. Edit it instead."
            }
        )
    KeyLineOfEnquiry.objects.filter(pk__in=[line.pk for line in spare]).delete()
    # Positions are unique: move the kept lines out of the way before numbering them afresh.
    review.key_lines.update(position=F("position") + 100_000)
    for index, text in enumerate(wanted):
        line = kept.get(index) or KeyLineOfEnquiry(review=review, text=text)
        line.position = index + 1
        line.save()


@transaction.atomic
def review_create(
    *,
    actor: User | None,
    partnership: Partnership,
    reference: str,
    review_type: str,
    case_name: str,
    scope_start: datetime.date,
    scope_end: datetime.date,
    incident_date: datetime.date | None = None,
    notification_date: datetime.date | None = None,
    decision_date: datetime.date | None = None,
    terms_of_reference: str = "",
    key_lines: Sequence[str] = (),
    stage: str = Review.Stage.SCOPING,
    report_author: str = "",
) -> Review:
    review = Review(
        partnership=partnership,
        reference=normalise(reference).strip(),
        review_type=review_type,
        case_name=normalise(case_name).strip(),
        scope_start=scope_start,
        scope_end=scope_end,
        incident_date=incident_date,
        notification_date=notification_date,
        decision_date=decision_date,
        terms_of_reference=normalise(terms_of_reference).strip(),
        stage=stage,
        report_author=normalise(report_author).strip(),
        created_by=actor,
    )
    _review_validate(review)
    review.save()
    _key_lines_replace(review, key_lines)
    audit_record(
        actor=actor,
        action="review.created",
        obj=review,
        detail={"reference": review.reference, "type": review.review_type},
    )
    return review


@transaction.atomic
def review_update(*, actor: User, review: Review, key_lines: Sequence[str] | None = None, **fields: Any) -> Review:
    unknown = set(fields) - set(REVIEW_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"review_update cannot change {', '.join(sorted(unknown))}")
    review_ensure_open(review.pk)
    changes: dict[str, list[Any]] = {}
    for name, value in fields.items():
        if isinstance(value, str):
            value = normalise(value).strip()
        old = getattr(review, name)
        if old != value:
            changes[name] = [audit_value(old), audit_value(value)]
            setattr(review, name, value)
    if key_lines is not None:
        old_lines = list(review.key_lines.values_list("text", flat=True))
        new_lines = [normalise(line).strip() for line in key_lines if normalise(line).strip()]
        if old_lines != new_lines:
            changes["key_lines_of_enquiry"] = [len(old_lines), len(new_lines)]
            _key_lines_replace(review, new_lines)
    _review_validate(review)
    if changes:
        review.save()
        # Long texts are recorded as changed, not copied into the audit trail.
        detail = {name: ("changed" if name == "terms_of_reference" else values) for name, values in changes.items()}
        audit_record(actor=actor, action="review.updated", obj=review, detail=detail)
    return review


@transaction.atomic
def key_lines_address(*, actor: User | None, review: Review, chosen: Mapping[int, Collection[int]]) -> Review:
    """Address each key line of enquiry (by id) to the agencies chosen (by id), or to every
    agency when none is chosen. An agency that had answered a line it is no longer asked keeps
    its answer, unseen, until the line is asked of it again."""
    review_ensure_open(review.pk)
    lines = {line.pk: line for line in review.key_lines.prefetch_related("agencies")}
    unknown = set(chosen) - set(lines)
    if unknown:
        raise ValidationError("The key lines of enquiry have changed since the page was opened: reload it.")
    directory = set(Agency.objects.filter(partnership_id=review.partnership_id).values_list("pk", flat=True))
    changes: dict[str, list[list[str]]] = {}
    for pk, agency_ids in chosen.items():
        wanted = set(agency_ids)
        if wanted - directory:
            raise ValidationError(
                {f"line_{pk}": f"Key line {lines[pk].position}: choose agencies from the partnership's directory."}
            )
        line = lines[pk]
        before = {agency.pk for agency in line.agencies.all()}
        if before != wanted:
            line.agencies.set(wanted)
            names = sorted(Agency.objects.filter(pk__in=wanted).values_list("name", flat=True)) or ["All agencies"]
            changes[str(line.position)] = [names]
    if changes:
        audit_record(actor=actor, action="review.key_lines_addressed", obj=review, detail={"key_lines": changes})
    return review
