"""The IMR workflow: the agency drafts its chronology and narrative, submits (which locks
it), and the chair accepts it or returns it with questions; the agency answers and submits
again. An agency with nothing to contribute makes a nil return. Every step is audited and
the people waiting on it are emailed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from chronology.models import ChronologyEntry, Clarification
from chronology.services import imr_lock_for_change, imr_mark_started, uploads_discard
from reviews.archived import review_ensure_open
from reviews.audit import audit_record
from reviews.models import Imr, ImrAnswer, ImrRecommendation, PartnershipMembership, ReviewMembership
from reviews.notifications import notify


def imr_authors(imr: Imr) -> list[User]:
    """Everyone who writes this agency's IMR in this review."""
    users = list(
        User.objects.filter(
            review_memberships__review_id=imr.review_id,
            review_memberships__role=ReviewMembership.Role.IMR_AUTHOR,
            review_memberships__agency_id=imr.agency_id,
        )
    )
    if imr.author_id and all(user.pk != imr.author_id for user in users):
        assert imr.author is not None  # author_id is set
        users.append(imr.author)
    return users


def review_chairs(imr: Imr) -> list[User]:
    """The review's chairs; the board administrators when it has none."""
    chairs = list(User.objects.filter(review_memberships__review_id=imr.review_id, review_memberships__role="chair"))
    return chairs or list(
        User.objects.filter(
            partnership_memberships__partnership_id=imr.review.partnership_id,
            partnership_memberships__role=PartnershipMembership.Role.BOARD_ADMIN,
        )
    )


def _imr_link(imr: Imr) -> str:
    return imr.get_absolute_url()


@transaction.atomic
def imr_narrative_save(
    *, actor: User | None, imr: Imr, answers: Mapping[int, str], recommendations: Sequence[str]
) -> Imr:
    """Save the agency's answers (by key line id) and its single-agency recommendations."""
    imr = imr_lock_for_change(imr)
    key_lines = {line.pk: line for line in imr.review.key_lines.all()}
    unknown = set(answers) - set(key_lines)
    if unknown:
        raise ValidationError("Answers were sent for key lines of enquiry this review does not have.")
    for key_line_id, text in answers.items():
        ImrAnswer.objects.update_or_create(imr=imr, key_line_id=key_line_id, defaults={"text": text.strip()})
    imr.recommendations.all().delete()
    ImrRecommendation.objects.bulk_create(
        ImrRecommendation(imr=imr, position=position, text=text.strip())
        for position, text in enumerate((text for text in recommendations if text.strip()), start=1)
    )
    imr_mark_started(imr)
    audit_record(actor=actor, action="imr.narrative_saved", obj=imr, object_repr=f"IMR: {imr.agency.name}")
    return imr


def _submission_problems(imr: Imr) -> list[str]:
    problems = []
    if not imr.entries.exists():
        problems.append("The chronology has no entries. Add them, or make a nil return if the agency had no contact.")
    answered = {answer.key_line_id for answer in imr.answers.all() if answer.text.strip()}
    missing = [str(line.position) for line in imr.review.key_lines.all() if line.pk not in answered]
    if missing:
        problems.append(f"Answer key line{'s' if len(missing) > 1 else ''} of enquiry {', '.join(missing)}.")
    unanswered = imr.clarifications.filter(response="").count()
    if unanswered:
        problems.append(f"Answer the chair's {unanswered} open question{'s' if unanswered > 1 else ''}.")
    return problems


@transaction.atomic
def imr_submit(*, actor: User | None, imr: Imr) -> Imr:
    imr = imr_lock_for_change(imr)
    problems = _submission_problems(imr)
    if problems:
        raise ValidationError(problems)
    uploads_discard(imr)
    imr.status = Imr.Status.SUBMITTED
    imr.submitted_at = timezone.now()
    imr.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action="imr.submitted",
        obj=imr,
        object_repr=f"IMR: {imr.agency.name}",
        detail={"entries": imr.entries.count()},
    )
    notify(
        recipients=review_chairs(imr),
        review=imr.review,
        subject=f"{imr.agency.name} has submitted its IMR for {imr.review.reference}",
        body=f"{imr.agency.name} has submitted its IMR and chronology. Accept it, or return it with your questions.",
        link=_imr_link(imr),
    )
    return imr


@transaction.atomic
def imr_nil_return(*, actor: User | None, imr: Imr, reason: str) -> Imr:
    imr = imr_lock_for_change(imr)
    if imr.status == Imr.Status.RETURNED:
        raise ValidationError("The chair has returned this IMR with questions: answer them and submit it again.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the agency has nothing to contribute."})
    if imr.entries.exists():
        raise ValidationError("The chronology has entries: submit them, or delete them before making a nil return.")
    uploads_discard(imr)
    imr.status = Imr.Status.NIL_RETURN
    imr.nil_return_reason = reason.strip()
    imr.submitted_at = timezone.now()
    imr.save(update_fields=["status", "nil_return_reason", "submitted_at", "updated_at"])
    audit_record(actor=actor, action="imr.nil_return", obj=imr, object_repr=f"IMR: {imr.agency.name}")
    notify(
        recipients=review_chairs(imr),
        review=imr.review,
        subject=f"{imr.agency.name} has made a nil return for {imr.review.reference}",
        # The reason stays behind sign-in with everything else the agency wrote.
        body=f"{imr.agency.name} has made a nil return. Its reason is on the IMR page.",
        link=_imr_link(imr),
    )
    return imr


def _imr_lock_submitted(imr: Imr) -> Imr:
    locked = Imr.objects.select_for_update().get(pk=imr.pk)
    review_ensure_open(locked.review_id)
    if locked.status != Imr.Status.SUBMITTED:
        raise ValidationError(
            f"Only a submitted IMR can be accepted or returned; this one is {locked.get_status_display().lower()}."
        )
    return locked


@transaction.atomic
def imr_return(*, actor: User, imr: Imr, question: str, entry_questions: Mapping[int, str]) -> Imr:
    """Return a submitted IMR for clarification, with a general question and/or questions on
    particular entries (by entry id)."""
    imr = _imr_lock_submitted(imr)
    entry_questions = {pk: text.strip() for pk, text in entry_questions.items() if text.strip()}
    if not question.strip() and not entry_questions:
        raise ValidationError("Ask at least one question: say what the agency needs to clarify.")
    entries = {entry.pk: entry for entry in ChronologyEntry.objects.filter(imr=imr, pk__in=entry_questions)}
    if len(entries) != len(entry_questions):
        raise ValidationError("A question was attached to an entry that is not in this chronology.")
    clarifications = (
        [Clarification(imr=imr, entry=None, question=question.strip(), asked_by=actor)] if question.strip() else []
    )
    clarifications += [
        Clarification(
            imr=imr,
            entry=entries[pk],
            entry_label=f"{entries[pk].date_display}: {entries[pk].details[:120]}",
            question=text,
            asked_by=actor,
        )
        for pk, text in entry_questions.items()
    ]
    Clarification.objects.bulk_create(clarifications)
    imr.status = Imr.Status.RETURNED
    imr.returned_at = timezone.now()
    imr.save(update_fields=["status", "returned_at", "updated_at"])
    audit_record(
        actor=actor,
        action="imr.returned",
        obj=imr,
        object_repr=f"IMR: {imr.agency.name}",
        detail={"questions": len(clarifications)},
    )
    notify(
        recipients=imr_authors(imr),
        review=imr.review,
        subject=f"Your IMR for {imr.review.reference} has been returned for clarification",
        body=f"The chair has {len(clarifications)} question{'s' if len(clarifications) != 1 else ''} about "
        f"{imr.agency.name}'s IMR. Answer them, make any changes, and submit it again.",
        link=_imr_link(imr),
    )
    return imr


@transaction.atomic
def imr_accept(*, actor: User, imr: Imr) -> Imr:
    imr = _imr_lock_submitted(imr)
    imr.status = Imr.Status.ACCEPTED
    imr.accepted_at = timezone.now()
    imr.save(update_fields=["status", "accepted_at", "updated_at"])
    audit_record(actor=actor, action="imr.accepted", obj=imr, object_repr=f"IMR: {imr.agency.name}")
    notify(
        recipients=imr_authors(imr),
        review=imr.review,
        subject=f"Your IMR for {imr.review.reference} has been accepted",
        body=f"The chair has accepted {imr.agency.name}'s IMR and chronology. Thank you.",
        link=_imr_link(imr),
    )
    return imr


@transaction.atomic
def clarification_respond(*, actor: User | None, clarification: Clarification, response: str) -> Clarification:
    imr_lock_for_change(clarification.imr)
    if not response.strip():
        raise ValidationError({"response": "Write an answer to the chair's question."})
    clarification.response = response.strip()
    clarification.responded_by = actor
    clarification.responded_at = timezone.now()
    clarification.save(update_fields=["response", "responded_by", "responded_at"])
    audit_record(
        actor=actor,
        action="imr.clarification_answered",
        obj=clarification,
        review=clarification.imr.review,
        object_repr=f"Question on IMR: {clarification.imr.agency.name}",
    )
    return clarification


@transaction.atomic
def imr_accept_received(*, actor: User | None, imr: Imr) -> Imr:
    """Accept a chronology the chair received by other means (and imported for the agency)."""
    imr = Imr.objects.select_for_update().get(pk=imr.pk)
    if imr.status == Imr.Status.ACCEPTED:
        return imr
    now = timezone.now()
    imr.status = Imr.Status.ACCEPTED
    imr.submitted_at = imr.submitted_at or now
    imr.accepted_at = now
    imr.save(update_fields=["status", "submitted_at", "accepted_at", "updated_at"])
    audit_record(
        actor=actor,
        action="imr.accepted",
        obj=imr,
        object_repr=f"IMR: {imr.agency.name}",
        detail={"received_by_other_means": True},
    )
    return imr
