"""Writes for the family involvement log. Each service checks everything it is given and says
which field is wrong before it writes anything, keeps to the review's person register (adding a
person through the register's own service and checks), and records an audit entry in the same
transaction. The audit entries name people by designation only."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from reports import richtext
from reviews import services as review_register
from reviews.archived import review_ensure_open
from reviews.audit import audit_record, audit_value
from reviews.family_models import FamilyContact, FamilyOffer, FamilyPseudonym
from reviews.imr_narrative_services import paragraphs_html
from reviews.models import Person, Review, ReviewMembership
from reviews.publication import register_for_review
from reviews.validators import one_line_problem

MAX_RICH_TEXT = 200_000
MAX_PLAIN_TEXT = 20_000
# Who may have made a contact for the review: its chair and panel members.
CONTACT_ROLES = (ReviewMembership.Role.CHAIR, ReviewMembership.Role.PANEL)
_TAG = re.compile(r"<[a-zA-Z/!]")


@dataclass(frozen=True)
class NewPerson:
    """Someone to add to the person register from the log, as the register itself takes them."""

    real_name: str
    designation: str
    relationship: str


@dataclass(frozen=True)
class ContactDetails:
    """What a contact records, as the form or the demo gives it."""

    contact_date: datetime.date | None
    method: str
    contacted_by: User | None
    advocate_organisation: str = ""
    advocate_name: str = ""
    consent_to_be_named: bool = False
    consent_to_be_quoted: bool = False
    what_they_said: str = ""
    review_response: str = ""


@dataclass(frozen=True)
class OfferDetails:
    kind: str
    made_on: datetime.date | None
    response: str = FamilyOffer.Response.AWAITED
    response_date: datetime.date | None = None
    description: str = ""
    note: str = ""


# --- checks -----------------------------------------------------------------------------------


def _date_problem(value: datetime.date | None, what: str, *, review: Review) -> str:
    if value is None:
        return f"Give {what}."
    if value > timezone.localdate():
        return f"{what[0].upper()}{what[1:]} is in the future."
    if review.incident_date and value < review.incident_date:
        return f"{what[0].upper()}{what[1:]} is before the incident ({review.incident_date:%-d %B %Y})."
    return ""


def _short_text_problem(value: str, what: str, limit: int) -> str:
    if len(value) > limit:
        return f"{what} is too long ({len(value)} characters; the most is {limit})."
    return one_line_problem(value, what)


def rich_text_clean(text: str, *, what: str) -> str:
    """Rich text as stored: sanitised by the editor's sanitiser, or empty when it has no words.
    Text with no markup (typed without the editor) is taken as plain paragraphs."""
    text = text or ""
    if len(text) > MAX_RICH_TEXT:
        raise ValidationError(f"{what} is too long to save ({len(text):,} characters; the most is {MAX_RICH_TEXT:,}).")
    if not _TAG.search(text):
        text = paragraphs_html(text)
    try:
        clean = richtext.sanitise(text)
    except richtext.TooDeeplyNested as error:
        raise ValidationError(f"{what} was not saved: {error} Paste it as plain text and format it again.") from error
    return clean if richtext.plain_text(clean).strip() else ""


def _person_problem(review: Review, person: Person | None) -> str:
    if person is None:
        return "Choose someone from the person register, or add them below."
    if person.review_id != review.pk:
        return "Choose someone from this review's person register."
    return ""


def _contact_errors(review: Review, details: ContactDetails) -> tuple[dict[str, str], str]:
    """Every problem with a contact's details, by field, and its rich text as it will be stored."""
    errors: dict[str, str] = {}
    if problem := _date_problem(details.contact_date, "the date of the contact", review=review):
        errors["contact_date"] = problem
    if details.method not in FamilyContact.Method.values:
        errors["method"] = f'"{details.method}" is not a way of making contact; choose one from the list.'
    if details.contacted_by is None:
        errors["contacted_by"] = "Say which member of the review made the contact."
    elif not ReviewMembership.objects.filter(review=review, user=details.contacted_by, role__in=CONTACT_ROLES).exists():
        errors["contacted_by"] = "The contact must have been made by the review's chair or a panel member."
    for field, value, what in (
        ("advocate_organisation", details.advocate_organisation, "The advocate's organisation"),
        ("advocate_name", details.advocate_name, "The advocate's name"),
    ):
        if problem := _short_text_problem(value, what, 200):
            errors[field] = problem
    if details.advocate_name.strip() and not details.advocate_organisation.strip():
        errors["advocate_organisation"] = "Name the advocate's organisation (for example AAFDA) as well."
    if len(details.review_response) > MAX_PLAIN_TEXT:
        errors["review_response"] = f"What the review did with it is too long (the most is {MAX_PLAIN_TEXT:,})."
    said = ""
    try:
        said = rich_text_clean(details.what_they_said, what="What they said")
    except ValidationError as error:
        errors["what_they_said"] = " ".join(error.messages)
    return errors, said


def _person_or_new(
    *, actor: User, review: Review, person: Person | None, new_person: NewPerson | None, errors: dict[str, str]
) -> Person | None:
    """The person chosen, or the one added to the register now (its checks' messages added to
    ``errors`` under new_person_*). Nothing is kept if the caller then raises."""
    if new_person is None or not (new_person.real_name.strip() or new_person.designation.strip()):
        if problem := _person_problem(review, person):
            errors["person"] = problem
        return person
    if person is not None:
        errors["person"] = "Choose someone from the register or add someone new, not both."
        return None
    try:
        return review_register.person_add(
            actor=actor,
            review=review,
            real_name=new_person.real_name,
            designation=new_person.designation,
            relationship=new_person.relationship,
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors[f"new_person_{field}" if field != "__all__" else "person"] = " ".join(messages)
        return None


def _audit_detail(contact: FamilyContact) -> dict[str, Any]:
    return {
        "designation": contact.person.designation,
        "date": audit_value(contact.contact_date),
        "method": contact.method,
        "consent_to_be_named": contact.consent_to_be_named,
        "consent_to_be_quoted": contact.consent_to_be_quoted,
    }


# --- contacts -----------------------------------------------------------------------------------


def _contact_fill(contact: FamilyContact, details: ContactDetails, said: str) -> None:
    assert details.contact_date is not None  # checked by _contact_errors
    contact.contact_date = details.contact_date
    contact.method = details.method
    contact.contacted_by = details.contacted_by
    contact.contacted_by_name = details.contacted_by.display_name if details.contacted_by else ""
    contact.advocate_organisation = " ".join(details.advocate_organisation.split())
    contact.advocate_name = " ".join(details.advocate_name.split())
    contact.consent_to_be_named = details.consent_to_be_named
    contact.consent_to_be_quoted = details.consent_to_be_quoted
    contact.what_they_said = said
    contact.review_response = details.review_response.strip()


@transaction.atomic
def family_contact_add(
    *,
    actor: User,
    review: Review,
    person: Person | None,
    details: ContactDetails,
    new_person: NewPerson | None = None,
) -> FamilyContact:
    """Record a contact with ``person`` (or with ``new_person``, added to the register first)."""
    review_ensure_open(review.pk)
    errors, said = _contact_errors(review, details)
    person = _person_or_new(actor=actor, review=review, person=person, new_person=new_person, errors=errors)
    if errors or person is None:
        raise ValidationError(errors)
    contact = FamilyContact(review=review, person=person, created_by=actor)
    _contact_fill(contact, details, said)
    contact.save()
    audit_record(actor=actor, action="family_contact.added", obj=contact, detail=_audit_detail(contact))
    return contact


@transaction.atomic
def family_contact_update(
    *, actor: User, contact: FamilyContact, person: Person | None, details: ContactDetails
) -> FamilyContact:
    review = contact.review
    review_ensure_open(review.pk)
    errors, said = _contact_errors(review, details)
    if problem := _person_problem(review, person):
        errors["person"] = problem
    if errors or person is None:
        raise ValidationError(errors)
    contact.person = person
    _contact_fill(contact, details, said)
    contact.save()
    audit_record(actor=actor, action="family_contact.updated", obj=contact, detail=_audit_detail(contact))
    return contact


@transaction.atomic
def family_contact_remove(*, actor: User, contact: FamilyContact) -> None:
    review_ensure_open(contact.review_id)
    audit_record(actor=actor, action="family_contact.removed", obj=contact, detail=_audit_detail(contact))
    contact.delete()


# --- offers -------------------------------------------------------------------------------------


def _offer_errors(review: Review, person: Person | None, offer: OfferDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if problem := _person_problem(review, person):
        errors["person"] = problem
    if offer.kind not in FamilyOffer.Kind.values:
        errors["kind"] = f'"{offer.kind}" is not an offer the log knows; choose one from the list.'
    elif offer.kind == FamilyOffer.Kind.OTHER and not offer.description.strip():
        errors["description"] = "Say what was offered."
    if problem := _short_text_problem(offer.description, "The description of the offer", 300):
        errors["description"] = problem
    if problem := _date_problem(offer.made_on, "the date the offer was made", review=review):
        errors["made_on"] = problem
    if offer.response not in FamilyOffer.Response.values:
        errors["response"] = f'"{offer.response}" is not a response; choose one from the list.'
    elif offer.response == FamilyOffer.Response.AWAITED and offer.response_date:
        errors["response_date"] = "An offer still awaiting an answer has no date of response: choose the response."
    elif offer.response in (FamilyOffer.Response.ACCEPTED, FamilyOffer.Response.DECLINED) and not offer.response_date:
        errors["response_date"] = "Give the date the offer was accepted or declined."
    if offer.response_date:
        if problem := _date_problem(offer.response_date, "the date of the response", review=review):
            errors["response_date"] = problem
        elif offer.made_on and offer.response_date < offer.made_on:
            errors["response_date"] = "The response is dated before the offer was made."
    if len(offer.note) > MAX_PLAIN_TEXT:
        errors["note"] = f"The note is too long (the most is {MAX_PLAIN_TEXT:,} characters)."
    return errors


def _offer_fill(row: FamilyOffer, person: Person, offer: OfferDetails) -> None:
    row.person = person
    row.kind = offer.kind
    row.description = " ".join(offer.description.split())
    assert offer.made_on is not None  # checked by _offer_errors
    row.made_on = offer.made_on
    row.response = offer.response
    row.response_date = offer.response_date
    row.note = offer.note.strip()


def _offer_detail(row: FamilyOffer) -> dict[str, Any]:
    return {
        "designation": row.person.designation,
        "kind": row.kind,
        "made_on": audit_value(row.made_on),
        "response": row.response,
        "response_date": audit_value(row.response_date),
    }


@transaction.atomic
def family_offer_add(*, actor: User, review: Review, person: Person | None, offer: OfferDetails) -> FamilyOffer:
    review_ensure_open(review.pk)
    if errors := _offer_errors(review, person, offer):
        raise ValidationError(errors)
    assert person is not None
    row = FamilyOffer(review=review, created_by=actor)
    _offer_fill(row, person, offer)
    row.save()
    audit_record(actor=actor, action="family_offer.added", obj=row, detail=_offer_detail(row))
    return row


@transaction.atomic
def family_offer_update(*, actor: User, row: FamilyOffer, person: Person | None, offer: OfferDetails) -> FamilyOffer:
    review_ensure_open(row.review_id)
    if errors := _offer_errors(row.review, person, offer):
        raise ValidationError(errors)
    assert person is not None
    _offer_fill(row, person, offer)
    row.save()
    audit_record(actor=actor, action="family_offer.updated", obj=row, detail=_offer_detail(row))
    return row


@transaction.atomic
def family_offer_remove(*, actor: User, row: FamilyOffer) -> None:
    review_ensure_open(row.review_id)
    audit_record(actor=actor, action="family_offer.removed", obj=row, detail=_offer_detail(row))
    row.delete()


# --- the family's pseudonym for the subject -------------------------------------------------------


def _pseudonym_errors(
    review: Review, subject: Person | None, pseudonym: str, agreed_by: Person | None, agreed_on: datetime.date | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if problem := _person_problem(review, subject):
        errors["subject"] = problem
    if problem := _person_problem(review, agreed_by):
        errors["agreed_by"] = problem
    elif subject is not None and agreed_by == subject:
        errors["agreed_by"] = "The pseudonym is agreed by someone in the family, not by the subject."
    if not pseudonym:
        errors["pseudonym"] = "Give the pseudonym the family chose."
    elif problem := _short_text_problem(pseudonym, "The pseudonym", 100):
        errors["pseudonym"] = problem
    elif hits := register_for_review(review).check(pseudonym):
        found = " and ".join(sorted({f"“{hit.found}”" for hit in hits}))
        errors["pseudonym"] = (
            f"The pseudonym contains {found}, a name in this review's person register, so the publication check "
            "would stop every document that uses it: choose one that is no one's name in the review."
        )
    if problem := _date_problem(agreed_on, "the date it was agreed", review=review):
        errors["agreed_on"] = problem
    return errors


def _designation_set(*, actor: User, subject: Person, pseudonym: str) -> None:
    """The pseudonym as the subject's designation, through the register's own service and checks
    (one designation per person in a review, none holding part of their own name)."""
    try:
        review_register.person_update(
            actor=actor,
            person=subject,
            real_name=subject.real_name,
            designation=pseudonym,
            aliases=subject.aliases,
            date_of_birth=subject.date_of_birth,
            relationship=subject.relationship,
            confirmed_names=subject.confirmed_names,
        )
    except ValidationError as error:
        raise ValidationError(
            {"pseudonym" if field == "designation" else "subject": " ".join(messages)
             for field, messages in error.message_dict.items()}
        ) from error  # fmt: skip


@transaction.atomic
def family_pseudonym_agree(
    *,
    actor: User,
    review: Review,
    subject: Person | None,
    pseudonym: str,
    agreed_by: Person | None,
    agreed_on: datetime.date | None,
) -> FamilyPseudonym:
    """Record the pseudonym the family chose for ``subject`` and make it the subject's designation
    in the person register, through the register's own service and checks, so every published
    document replaces the subject's name with it and the publication check protects it."""
    review_ensure_open(review.pk)
    pseudonym = " ".join(pseudonym.split())
    errors = _pseudonym_errors(review, subject, pseudonym, agreed_by, agreed_on)
    current = FamilyPseudonym.objects.filter(review=review).select_related("subject").first()
    if current is not None and subject is not None and current.subject_id != subject.pk:
        errors["subject"] = (
            f"The family already agreed a pseudonym for {current.subject.designation}: change that one, or set "
            "that person's designation in the register first."
        )
    if errors:
        raise ValidationError(errors)
    assert subject is not None and agreed_by is not None and agreed_on is not None
    previous = current.previous_designation if current else subject.designation
    _designation_set(actor=actor, subject=subject, pseudonym=pseudonym)
    row, _created = FamilyPseudonym.objects.update_or_create(
        review=review,
        defaults={
            "subject": subject,
            "pseudonym": pseudonym,
            "previous_designation": previous,
            "agreed_by": agreed_by,
            "agreed_on": agreed_on,
            "recorded_by": actor,
        },
    )
    audit_record(
        actor=actor,
        action="family_pseudonym.agreed",
        obj=row,
        object_repr=f"Pseudonym “{pseudonym}”",
        detail={
            "previous_designation": previous,
            "agreed_by": agreed_by.designation,
            "agreed_on": audit_value(agreed_on),
        },
    )
    return row
