"""Writes of the submission page: asking for a pack (a job), the chair's marks on the checklist
items the review's data leaves to them, and the quality-assurance panel's feedback. Each audited
in its own transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casereview import jobs
from reports import submission_selectors
from reports.submission_models import SubmissionCheckMark, SubmissionFeedback, SubmissionPack
from reviews.audit import audit_record
from reviews.models import Review

NOTE_LIMIT = 2000


@transaction.atomic
def submission_pack_request(*, actor: User | None, review: Review) -> SubmissionPack:
    """Queue the review's submission pack; one already waiting or being made is the one returned."""
    pack, new = jobs.job_request(SubmissionPack, actor=actor, same={"review": review})
    audit_record(
        actor=actor,
        action="submission.pack_requested" if new else "submission.pack_request_joined",
        obj=pack,
        review=review,
        object_repr=f"Submission pack, {review.reference}",
    )
    return pack


def submission_pack_retry(*, actor: User, pack: SubmissionPack) -> None:
    if not jobs.job_retry_recorded(
        pack, actor=actor, action="submission.pack_retried", review=pack.review,
        object_repr=f"Submission pack, {pack.review.reference}",
    ):  # fmt: skip
        raise ValidationError("Only a failed or cancelled pack can be made again.")


@transaction.atomic
def submission_check_mark(
    *, actor: User, review: Review, item: str, met: bool, note: str, today: datetime.date | None = None
) -> SubmissionCheckMark:
    """The chair marks an item the review's data does not answer as met or not met, with a note."""
    rule = submission_selectors.item_rule(item)
    if rule is None:
        raise ValidationError({"item": f'"{item}" is not an item of the submission checklist.'})
    if rule.answer is not None:
        sections = submission_selectors.checklist_sections(review)
        state, _evidence = submission_selectors.item_answer(
            review, rule, sections=sections, today=today or timezone.localdate()
        )
        if state != submission_selectors.CHAIR:
            raise ValidationError(
                {"item": f'"{rule.label}" is answered from the review\'s data: change the data, not the mark.'}
            )
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise ValidationError({"note": f"The note is {len(note)} characters long: keep it to {NOTE_LIMIT}."})
    if not met and not note:
        raise ValidationError({"note": "Say what is missing: a note is needed when an item is not met."})
    mark, _created = SubmissionCheckMark.objects.update_or_create(
        review=review, item=item, defaults={"met": met, "note": note, "marked_by": actor}
    )
    audit_record(
        actor=actor,
        action="submission.item_marked",
        obj=mark,
        review=review,
        object_repr=f"{review.reference}: {rule.label}",
        detail={"item": item, "met": met, "note": note[:200]},
    )
    return mark


@transaction.atomic
def submission_feedback_record(
    *, actor: User, review: Review, outcome: str, received_on: datetime.date | None, text: str
) -> SubmissionFeedback:
    """The quality-assurance panel's feedback and outcome, as the chair received it."""
    errors: dict[str, str] = {}
    if outcome not in SubmissionFeedback.Outcome.values:
        errors["outcome"] = "Choose the panel's outcome."
    if received_on is None:
        errors["received_on"] = "Give the date the feedback was received, for example 14/03/2027."
    elif received_on > timezone.localdate():
        errors["received_on"] = f"The date received ({received_on:%d/%m/%Y}) is in the future."
    if not text.strip():
        errors["text"] = "Enter the panel's feedback."
    if errors:
        raise ValidationError(errors)
    assert received_on is not None
    feedback = SubmissionFeedback.objects.create(
        review=review, outcome=outcome, received_on=received_on, text=text.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="submission.feedback_recorded",
        obj=feedback,
        review=review,
        detail={"outcome": outcome, "received_on": received_on.isoformat()},
    )
    return feedback
