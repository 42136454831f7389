"""Writes for the action plan. Each service validates everything first, then changes the rows
and records the audit entry in one transaction: bad input raises ``ValidationError`` naming
the field and what is wrong, and nothing is half-saved."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from actions.evidence import EvidenceUpload, evidence_uploads_check, safe_filename
from actions.models import (
    DEFAULT_THEMES,
    Action,
    Evidence,
    Milestone,
    ProgressUpdate,
    Recommendation,
    Theme,
)
from casereview.storage import file_store
from reviews.archived import review_ensure_open
from reviews.audit import audit_record
from reviews.models import Agency, Imr, Partnership, Review, ReviewMembership
from reviews.publication import normalise

# --- Themes ----------------------------------------------------------------------------------


@transaction.atomic
def themes_ensure_defaults(*, partnership: Partnership) -> int:
    """Give the partnership the default themes it does not have yet; returns how many were added."""
    have = set(Theme.objects.filter(partnership=partnership).values_list("name", flat=True))
    missing = [name for name in DEFAULT_THEMES if name not in have]
    if missing:
        Theme.objects.bulk_create(Theme(partnership=partnership, name=name) for name in missing)
        audit_record(actor=None, action="theme.defaults_added", obj=partnership, detail={"themes": missing})
    return len(missing)


@transaction.atomic
def theme_create(*, actor: User, partnership: Partnership, name: str) -> Theme:
    name = " ".join(normalise(name).split())
    if not name:
        raise ValidationError({"name": "A theme needs a name."})
    if len(name) > 120:
        raise ValidationError({"name": f"A theme's name is at most 120 characters; this one is {len(name)}."})
    if Theme.objects.filter(partnership=partnership, name__iexact=name).exists():
        raise ValidationError({"name": f'The partnership already has the theme "{name}".'})
    theme = Theme.objects.create(partnership=partnership, name=name)
    audit_record(actor=actor, action="theme.created", obj=theme, partnership=partnership)
    return theme


# --- Recommendations -------------------------------------------------------------------------


@dataclass
class RecommendationData:
    text: str
    source: str = Recommendation.Source.OVERVIEW_REPORT
    imr: Imr | None = None
    multi_agency: bool = False
    agencies: Sequence[Agency] = ()
    scope: str = Recommendation.Scope.LOCAL
    theme: Theme | None = None
    expected_outcome: str = ""
    number: int | None = None


def _recommendation_source_errors(review: Review, data: RecommendationData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.source not in Recommendation.Source.values:
        errors["source"] = f'"{data.source}" is not a source (overview_report or imr).'
    elif data.source == Recommendation.Source.IMR and data.imr is None:
        errors["imr"] = "Choose the IMR this recommendation comes from."
    elif data.source == Recommendation.Source.OVERVIEW_REPORT and data.imr is not None:
        errors["imr"] = (
            "A recommendation of the overview report does not name an IMR: clear it or choose IMR as the source."
        )
    if data.imr is not None and data.imr.review_id != review.pk:
        errors["imr"] = "That IMR belongs to another review."
    return errors


def _recommendation_agency_errors(review: Review, data: RecommendationData) -> dict[str, str]:
    foreign = [agency.name for agency in data.agencies if agency.partnership_id != review.partnership_id]
    if foreign:
        return {"agencies": f"Not in this partnership's directory: {', '.join(foreign)}."}
    if data.multi_agency and len(data.agencies) < 2:
        return {"agencies": "A multi-agency recommendation names at least two agencies."}
    if not data.multi_agency and len(data.agencies) > 1:
        return {"multi_agency": f"{len(data.agencies)} agencies are chosen: tick multi-agency, or choose one agency."}
    return {}


def _recommendation_number_errors(review: Review, data: RecommendationData, pk: int | None) -> dict[str, str]:
    if data.number is None:
        return {}
    if data.number < 1:
        return {"number": "Recommendations are numbered from 1."}
    # Not the one being edited; for a new one (pk None) exclude(pk=None) leaves out nothing.
    if Recommendation.objects.filter(review=review, number=data.number).exclude(pk=pk).exists():  # type: ignore[misc]
        return {"number": f"The review already has a recommendation {data.number}."}
    return {}


def _recommendation_validate(review: Review, data: RecommendationData, *, pk: int | None = None) -> None:
    errors: dict[str, str] = {}
    if not normalise(data.text).strip():
        errors["text"] = "A recommendation needs its text."
    errors |= _recommendation_source_errors(review, data)
    if data.scope not in Recommendation.Scope.values:
        errors["scope"] = f'"{data.scope}" is not a scope (local, regional or national).'
    errors |= _recommendation_agency_errors(review, data)
    if data.theme is not None and data.theme.partnership_id != review.partnership_id:
        errors["theme"] = "That theme belongs to another partnership."
    errors |= _recommendation_number_errors(review, data, pk)
    if errors:
        raise ValidationError(errors)


def _recommendation_apply(recommendation: Recommendation, data: RecommendationData) -> None:
    recommendation.text = normalise(data.text).strip()
    recommendation.source = data.source
    recommendation.imr = data.imr
    recommendation.multi_agency = data.multi_agency
    recommendation.scope = data.scope
    recommendation.theme = data.theme
    recommendation.expected_outcome = normalise(data.expected_outcome).strip()


@transaction.atomic
def recommendation_create(*, actor: User | None, review: Review, data: RecommendationData) -> Recommendation:
    review_ensure_open(review.pk)
    _recommendation_validate(review, data)
    number = data.number
    if number is None:
        # Locks the review's row so two chairs adding at once do not take the same number.
        Review.objects.select_for_update().filter(pk=review.pk).first()
        last = review.recommendations.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    recommendation = Recommendation(review=review, number=number)
    _recommendation_apply(recommendation, data)
    recommendation.save()
    recommendation.agencies.set(data.agencies)
    audit_record(
        actor=actor,
        action="recommendation.created",
        obj=recommendation,
        review=review,
        object_repr=f"Recommendation {number}",
    )
    return recommendation


@transaction.atomic
def recommendation_update(*, actor: User, recommendation: Recommendation, data: RecommendationData) -> Recommendation:
    review = recommendation.review
    review_ensure_open(review.pk)
    _recommendation_validate(review, data, pk=recommendation.pk)
    before = {"number": recommendation.number, "text": recommendation.text, "scope": recommendation.scope}
    if data.number is not None:
        recommendation.number = data.number
    _recommendation_apply(recommendation, data)
    recommendation.save()
    recommendation.agencies.set(data.agencies)
    after = {"number": recommendation.number, "text": recommendation.text, "scope": recommendation.scope}
    audit_record(
        actor=actor,
        action="recommendation.updated",
        obj=recommendation,
        review=review,
        detail={key: [before[key], after[key]] for key in before if before[key] != after[key]},
    )
    return recommendation


@transaction.atomic
def recommendation_delete(*, actor: User, recommendation: Recommendation) -> None:
    review_ensure_open(recommendation.review_id)
    count = recommendation.actions.count()
    if count:
        raise ValidationError(
            f"Recommendation {recommendation.number} has {count} action{'s' if count != 1 else ''}: "
            "remove or move them first."
        )
    audit_record(actor=actor, action="recommendation.deleted", obj=recommendation, review=recommendation.review)
    recommendation.delete()


# --- Actions ---------------------------------------------------------------------------------


def _owner_validate(review: Review, agency: Agency | None, owner: User | None) -> str | None:
    if owner is None or agency is None:
        return None
    if not ReviewMembership.objects.filter(
        review=review, user=owner, role=ReviewMembership.Role.ACTION_OWNER, agency=agency
    ).exists():
        return f"{owner.display_name} is not an action owner for {agency.name} in this review: add them as one first."
    return None


def _done_validate(status: str, completed_on: datetime.date | None, outcome: str, today: datetime.date) -> dict:
    errors: dict[str, str] = {}
    if status in Action.DONE_STATUSES:
        if completed_on is None:
            errors["completed_on"] = "A complete action needs its date of completion."
        elif completed_on > today:
            errors["completed_on"] = f"The date of completion ({completed_on:%d/%m/%Y}) is in the future."
        if not outcome.strip():
            errors["outcome"] = "Say what the outcome was: the board assures against it."
    elif completed_on is not None:
        errors["completed_on"] = (
            "Only a complete action has a date of completion: clear it or mark the action complete."
        )
    return errors


@transaction.atomic
def action_create(
    *,
    actor: User | None,
    recommendation: Recommendation,
    text: str,
    lead_agency: Agency,
    target_date: datetime.date,
    owner: User | None = None,
    status: str = Action.Status.NOT_STARTED,
    completed_on: datetime.date | None = None,
    outcome: str = "",
    milestones: Sequence[tuple[str, datetime.date | None]] = (),
    today: datetime.date | None = None,
) -> Action:
    review = recommendation.review
    review_ensure_open(review.pk)
    today = today or timezone.localdate()
    text, outcome = normalise(text).strip(), normalise(outcome).strip()
    milestones = [(normalise(t).strip(), d) for t, d in milestones]
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = "An action needs its text: what will be done."
    if lead_agency.partnership_id != review.partnership_id:
        errors["lead_agency"] = f"{lead_agency.name} is not in this partnership's directory."
    if status not in Action.Status.values or status == Action.Status.ASSURED:
        errors["status"] = "Choose not started, on track, at risk, overdue or complete: only the board assures."
    if owner_error := _owner_validate(review, lead_agency, owner):
        errors["owner"] = owner_error
    errors |= _done_validate(status, completed_on, outcome, today)
    if errors:
        raise ValidationError(errors)
    action = Action.objects.create(
        recommendation=recommendation,
        text=text,
        lead_agency=lead_agency,
        owner=owner,
        target_date=target_date,
        status=status,
        completed_on=completed_on,
        outcome=outcome,
    )
    Milestone.objects.bulk_create(Milestone(action=action, text=t, due_date=d) for t, d in milestones)
    audit_record(
        actor=actor,
        action="action.created",
        obj=action,
        review=review,
        object_repr=f"Action for recommendation {recommendation.number}: {text[:120]}",
        detail={"lead_agency": lead_agency.name, "target_date": target_date.isoformat()},
    )
    return action


ACTION_EDITABLE_FIELDS = ("text", "lead_agency", "owner", "target_date", "status", "completed_on", "outcome")


@transaction.atomic
def action_update(*, actor: User, action: Action, today: datetime.date | None = None, **fields) -> Action:
    """Change an action (chair, board administrator). An assured action is settled: it is not changed."""
    today = today or timezone.localdate()
    unknown = set(fields) - set(ACTION_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    action = Action.objects.select_for_update().get(pk=action.pk)
    review_ensure_open(action.recommendation.review_id)
    if action.status == Action.Status.ASSURED:
        raise ValidationError("This action has been assured by the board: it can no longer be changed.")
    before = {name: getattr(action, name) for name in ACTION_EDITABLE_FIELDS}
    for name, value in fields.items():
        setattr(action, name, normalise(value).strip() if isinstance(value, str) else value)
    errors: dict[str, str] = {}
    if not action.text:
        errors["text"] = "An action needs its text: what will be done."
    if action.lead_agency.partnership_id != action.recommendation.review.partnership_id:
        errors["lead_agency"] = f"{action.lead_agency.name} is not in this partnership's directory."
    if action.status not in Action.Status.values or action.status == Action.Status.ASSURED:
        errors["status"] = "Choose not started, on track, at risk, overdue or complete: only the board assures."
    if owner_error := _owner_validate(action.recommendation.review, action.lead_agency, action.owner):
        errors["owner"] = owner_error
    errors |= _done_validate(action.status, action.completed_on, action.outcome, today)
    if errors:
        raise ValidationError(errors)
    action.save()
    changes = {
        name: [_plain(before[name]), _plain(getattr(action, name))]
        for name in ACTION_EDITABLE_FIELDS
        if before[name] != getattr(action, name)
    }
    audit_record(actor=actor, action="action.updated", obj=action, review=action.recommendation.review, detail=changes)
    return action


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


@transaction.atomic
def milestone_add(*, actor: User, action: Action, text: str, due_date: datetime.date | None) -> Milestone:
    review_ensure_open(action.recommendation.review_id)
    text = normalise(text).strip()
    if not text:
        raise ValidationError({"text": "A milestone needs a description."})
    if len(text) > 300:
        raise ValidationError({"text": f"A milestone is at most 300 characters; this one is {len(text)}."})
    if action.status == Action.Status.ASSURED:
        raise ValidationError("This action has been assured by the board: it can no longer be changed.")
    milestone = Milestone.objects.create(action=action, text=text, due_date=due_date)
    audit_record(actor=actor, action="action.milestone_added", obj=milestone, review=action.recommendation.review)
    return milestone


@transaction.atomic
def milestone_mark(*, actor: User, milestone: Milestone, done_on: datetime.date | None) -> Milestone:
    review_ensure_open(milestone.action.recommendation.review_id)
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    audit_record(
        actor=actor,
        action="action.milestone_done" if done_on else "action.milestone_reopened",
        obj=milestone,
        review=milestone.action.recommendation.review,
    )
    return milestone


# --- Progress, evidence and assurance --------------------------------------------------------


# What an action owner may set in a progress update: overdue is worked out from the dates,
# and assured is the board's decision.
PROGRESS_STATUSES = (
    Action.Status.NOT_STARTED,
    Action.Status.ON_TRACK,
    Action.Status.AT_RISK,
    Action.Status.COMPLETE,
)


def _evidence_store(
    *, actor: User, action: Action, update: ProgressUpdate, checked: Sequence[tuple[EvidenceUpload, str]]
) -> list[str]:
    """Store the checked files as the update's evidence (casereview.storage); returns their filenames."""
    filenames = []
    for upload, kind in checked:
        filename = safe_filename(upload.name, kind)
        Evidence.objects.create(
            action=action,
            update=update,
            filename=filename,
            kind=kind,
            size=len(upload.data),
            sha256=hashlib.sha256(upload.data).hexdigest(),
            file=file_store(Evidence, "file", upload.data, ext=kind),
            uploaded_by=actor,
        )
        filenames.append(filename)
    return filenames


@transaction.atomic
def progress_add(
    *,
    actor: User,
    action: Action,
    text: str,
    status: str,
    completed_on: datetime.date | None = None,
    outcome: str = "",
    files: Sequence[EvidenceUpload] = (),
    today: datetime.date | None = None,
) -> ProgressUpdate:
    """An owner's progress report, optionally changing the status and attaching evidence.
    Every file is checked before anything is saved: one bad file saves nothing."""
    today = today or timezone.localdate()
    text, outcome = normalise(text), normalise(outcome)
    action = Action.objects.select_for_update().select_related("recommendation__review").get(pk=action.pk)
    review_ensure_open(action.recommendation.review_id)
    errors: dict[str, list[str]] = {}
    if action.status == Action.Status.ASSURED:
        raise ValidationError("This action has been assured by the board: it takes no more updates.")
    if not text.strip():
        errors.setdefault("text", []).append("Say what has happened since the last update.")
    if status not in PROGRESS_STATUSES:
        errors.setdefault("status", []).append("Choose not started, on track, at risk or complete.")
    completed_on = (completed_on or today) if status == Action.Status.COMPLETE else None
    for field, message in _done_validate(status, completed_on, outcome, today).items():
        errors.setdefault(field, []).append(message)
    checked, refused = evidence_uploads_check(files, max_bytes=settings.ACTION_EVIDENCE_MAX_BYTES)
    if refused:
        errors.setdefault("files", []).extend(refused)
    if errors:
        raise ValidationError(errors)
    update = ProgressUpdate.objects.create(
        action=action,
        author=actor,
        author_name=actor.display_name,
        text=text.strip(),
        status_before=action.status,
        status_after=status,
    )
    action.status = status
    action.completed_on = completed_on
    if status == Action.Status.COMPLETE:
        action.outcome = outcome.strip()
    action.save(update_fields=["status", "completed_on", "outcome", "updated_at"])
    filenames = _evidence_store(actor=actor, action=action, update=update, checked=checked)
    audit_record(
        actor=actor,
        action="action.progress_reported",
        obj=action,
        review=action.recommendation.review,
        detail={"status": [update.status_before, status], "evidence": filenames},
    )
    return update


@transaction.atomic
def action_assure(*, actor: User, action: Action, note: str = "") -> Action:
    """The board administrator signs a complete action off as assured."""
    action = Action.objects.select_for_update().select_related("recommendation__review").get(pk=action.pk)
    review_ensure_open(action.recommendation.review_id)
    if action.status != Action.Status.COMPLETE:
        raise ValidationError(
            f"Only a complete action can be assured; this one is {action.get_status_display().lower()}."
        )
    action.status = Action.Status.ASSURED
    action.assured_at = timezone.now()
    action.assured_by = actor
    action.save(update_fields=["status", "assured_at", "assured_by", "updated_at"])
    ProgressUpdate.objects.create(
        action=action,
        author=actor,
        author_name=actor.display_name,
        text=normalise(note).strip() or "Signed off as assured by the board.",
        status_before=Action.Status.COMPLETE,
        status_after=Action.Status.ASSURED,
    )
    audit_record(
        actor=actor, action="action.assured", obj=action, review=action.recommendation.review, detail={"note": note}
    )
    return action
