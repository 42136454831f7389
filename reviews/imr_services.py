"""The IMR workflow: the agency drafts its chronology and narrative, submits (which locks
it), and the chair accepts it or returns it with questions; the agency answers and submits
again. An agency with nothing to contribute makes a nil return. Every step is audited and
the people waiting on it are emailed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from chronology.models import ChronologyEntry, Clarification
from chronology.services import imr_lock_for_change, imr_mark_started, uploads_discard
from reports import richtext
from reviews.archived import review_ensure_open
from reviews.audit import audit_record
from reviews.imr_changes import imr_snapshot_take
from reviews.imr_narrative_services import imr_answer_save, key_lines_for_agency
from reviews.models import Imr, ImrRecommendation, PartnershipMembership, ReviewMembership
from reviews.notifications import notify
from reviews.publication import normalise


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
    """Save the agency's answers (by key line id; each saved over what is there, as a new
    version) and its single-agency recommendations."""
    imr = imr_lock_for_change(imr)
    key_lines = {line.pk: line for line in key_lines_for_agency(imr.review_id, imr.agency_id)}
    unknown = set(answers) - set(key_lines)
    if unknown:
        raise ValidationError("Answers were sent for key lines of enquiry this agency is not asked.")
    for key_line_id, text in answers.items():
        imr_answer_save(actor=actor, imr=imr, key_line=key_lines[key_line_id], text=text, base_version=None)
    imr.recommendations.all().delete()
    ImrRecommendation.objects.bulk_create(
        ImrRecommendation(imr=imr, position=position, text=text.strip())
        for position, text in enumerate((text for text in recommendations if text.strip()), start=1)
    )
    imr_mark_started(imr)
    audit_record(actor=actor, action="imr.narrative_saved", obj=imr, object_repr=f"IMR: {imr.agency.name}")
    return imr


@transaction.atomic
def imr_recommendations_save(*, actor: User | None, imr: Imr, recommendations: Sequence[str]) -> Imr:
    """Replace the agency's single-agency recommendations with these, in this order."""
    imr = imr_lock_for_change(imr)
    texts = [normalise(text).strip() for text in recommendations if normalise(text).strip()]
    imr.recommendations.all().delete()
    ImrRecommendation.objects.bulk_create(
        ImrRecommendation(imr=imr, position=position, text=text) for position, text in enumerate(texts, start=1)
    )
    imr_mark_started(imr)
    audit_record(
        actor=actor,
        action="imr.recommendations_saved",
        obj=imr,
        object_repr=f"IMR: {imr.agency.name}",
        detail={"recommendations": len(texts)},
    )
    return imr


def _submission_problems(imr: Imr) -> list[str]:
    problems = []
    if not imr.entries.exists():
        problems.append("The chronology has no entries. Add them, or make a nil return if the agency had no contact.")
    answered = {answer.key_line_id for answer in imr.answers.all() if richtext.plain_text(answer.text).strip()}
    asked = key_lines_for_agency(imr.review_id, imr.agency_id)
    missing = [str(line.position) for line in asked if line.pk not in answered]
    if missing:
        problems.append(f"Answer key line{'s' if len(missing) > 1 else ''} of enquiry {', '.join(missing)}.")
    unanswered = imr.clarifications.filter(response="").count()
    if unanswered:
        problems.append(f"Answer the chair's {unanswered} open question{'s' if unanswered > 1 else ''}.")
    return problems


def _signing_off_problems(name: str, role: str) -> dict[str, str]:
    problems = {}
    if not name:
        problems["signing_off_manager"] = "Enter the name of the manager who signs off the IMR."
    elif "\n" in name or len(name) > 200:
        problems["signing_off_manager"] = "Enter the manager's name on one line, in 200 characters or fewer."
    if not role:
        problems["signing_off_manager_role"] = "Enter the signing-off manager's role, for example Head of Safeguarding."
    elif "\n" in role or len(role) > 200:
        problems["signing_off_manager_role"] = "Enter the manager's role on one line, in 200 characters or fewer."
    return problems


@transaction.atomic
def imr_submit(
    *,
    actor: User | None,
    imr: Imr,
    signing_off_manager: str | None = None,
    signing_off_manager_role: str | None = None,
) -> Imr:
    """Submit the IMR, signed off by a named manager in a named role (given here, or as already
    recorded on the IMR when None). Refused with every problem, each at its field."""
    imr = imr_lock_for_change(imr)
    name = normalise(imr.signing_off_manager if signing_off_manager is None else signing_off_manager).strip()
    role = normalise(
        imr.signing_off_manager_role if signing_off_manager_role is None else signing_off_manager_role
    ).strip()
    problems: dict[str, list[str]] = {key: [text] for key, text in _signing_off_problems(name, role).items()}
    general = _submission_problems(imr)
    if general:
        problems[NON_FIELD_ERRORS] = general
    if problems:
        raise ValidationError(problems)
    imr.signing_off_manager, imr.signing_off_manager_role = name, role
    uploads_discard(imr)
    imr.status = Imr.Status.SUBMITTED
    imr.submitted_at = timezone.now()
    imr.save(update_fields=["status", "submitted_at", "signing_off_manager", "signing_off_manager_role", "updated_at"])
    audit_record(
        actor=actor,
        action="imr.submitted",
        obj=imr,
        object_repr=f"IMR: {imr.agency.name}",
        detail={"entries": imr.entries.count(), "signing_off_manager": name, "signing_off_manager_role": role},
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
    imr_snapshot_take(imr)  # what was submitted: its resubmission shows the chair what changed since
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
        f"the IMR of {imr.agency.name}. Answer them, make any changes, and submit it again.",
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
        body=f"The chair has accepted the IMR and chronology of {imr.agency.name}. Thank you.",
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
