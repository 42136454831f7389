"""Reads for the family involvement log: the log of one review, and the state of the family's
involvement across many reviews for the board's process view."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.models import User
from reviews.family_models import FamilyContact, FamilyOffer, FamilyPseudonym
from reviews.models import Person, Review, ReviewMembership

# The status vocabulary of ``family_involvement_status_by_review``, from the furthest along.
STATUS_CONTACT_MADE = "contact made"
STATUS_OFFER_ACCEPTED = "offer accepted"
STATUS_OFFER_MADE = "offer made"
STATUS_OFFER_DECLINED = "offer declined"
STATUS_NO_RESPONSE = "no response"
STATUS_NOT_STARTED = "not started"
STATUSES = (
    STATUS_CONTACT_MADE,
    STATUS_OFFER_ACCEPTED,
    STATUS_OFFER_MADE,
    STATUS_OFFER_DECLINED,
    STATUS_NO_RESPONSE,
    STATUS_NOT_STARTED,
)


def family_involvement_status_by_review(review_ids: Collection[int]) -> dict[int, str]:
    """The family involvement status of each review in ``review_ids``, in one query, as a short
    phrase for a list of reviews. The first that holds, in this order:

    - ``"contact made"``: at least one contact with a family member, friend, colleague or
      neighbour is recorded;
    - ``"offer accepted"``: no contact yet, but someone accepted an offer (to meet, to read...);
    - ``"offer made"``: no contact yet, and an offer is waiting for an answer;
    - ``"offer declined"``: every offer answered, at least one declined (the family chose not
      to take part: for the Home Office this is involvement sought, and recorded);
    - ``"no response"``: offers were made and none was answered;
    - ``"not started"``: nothing is recorded.

    A review id that does not exist is left out of the result. The caller decides who may see
    which reviews: this reads no personal data, only whether rows exist."""
    if not review_ids:
        return {}
    offers = FamilyOffer.objects.filter(review=OuterRef("pk"))
    rows = (
        Review.objects.filter(pk__in=list(review_ids))
        .annotate(
            contacted=Exists(FamilyContact.objects.filter(review=OuterRef("pk"))),
            accepted=Exists(offers.filter(response=FamilyOffer.Response.ACCEPTED)),
            awaited=Exists(offers.filter(response=FamilyOffer.Response.AWAITED)),
            declined=Exists(offers.filter(response=FamilyOffer.Response.DECLINED)),
            unanswered=Exists(offers.filter(response=FamilyOffer.Response.NO_RESPONSE)),
        )
        .values_list("pk", "contacted", "accepted", "awaited", "declined", "unanswered")
    )
    return {pk: _status(*flags) for pk, *flags in rows}


def _status(contacted: bool, accepted: bool, awaited: bool, declined: bool, unanswered: bool) -> str:
    for holds, status in (
        (contacted, STATUS_CONTACT_MADE),
        (accepted, STATUS_OFFER_ACCEPTED),
        (awaited, STATUS_OFFER_MADE),
        (declined, STATUS_OFFER_DECLINED),
        (unanswered, STATUS_NO_RESPONSE),
    ):
        if holds:
            return status
    return STATUS_NOT_STARTED


@dataclass(frozen=True)
class FamilyLog:
    """One review's log as its page shows it."""

    contacts: list[FamilyContact]
    offers: list[FamilyOffer]
    pseudonym: FamilyPseudonym | None

    @property
    def is_empty(self) -> bool:
        return not self.contacts and not self.offers and self.pseudonym is None


def family_log(review: Review) -> FamilyLog:
    """The contacts, offers and pseudonym of ``review``, in date order (three queries)."""
    contacts = FamilyContact.objects.filter(review=review).select_related("person", "contacted_by")
    offers = FamilyOffer.objects.filter(review=review).select_related("person")
    pseudonym = FamilyPseudonym.objects.filter(review=review).select_related("subject", "agreed_by").first()
    return FamilyLog(list(contacts.order_by("contact_date", "pk")), list(offers.order_by("made_on", "pk")), pseudonym)


def family_contact_in_review(review: Review, pk: int) -> FamilyContact | None:
    return FamilyContact.objects.select_related("person", "review").filter(review=review, pk=pk).first()


def family_offer_in_review(review: Review, pk: int) -> FamilyOffer | None:
    return FamilyOffer.objects.select_related("person", "review").filter(review=review, pk=pk).first()


def register_people(review: Review) -> QuerySet[Person]:
    """The person register, for choosing who a contact or offer was with."""
    return Person.objects.filter(review=review).order_by("designation")


def register_victim(review: Review) -> Person | None:
    """The person the pseudonym is usually for: the register's first victim."""
    return register_people(review).filter(relationship=Person.Relationship.VICTIM).first()


def contact_makers(review: Review) -> QuerySet[User]:
    """Who may have made a contact for the review: its chair and panel members."""
    return (
        User.objects.filter(
            review_memberships__review=review,
            review_memberships__role__in=[ReviewMembership.Role.CHAIR, ReviewMembership.Role.PANEL],
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def family_log_names(person: Person) -> bool:
    """Whether the log speaks of ``person`` (then they cannot leave the register)."""
    return (
        FamilyContact.objects.filter(person=person).exists()
        or FamilyOffer.objects.filter(person=person).exists()
        or FamilyPseudonym.objects.filter(Q(subject=person) | Q(agreed_by=person)).exists()
    )


def family_involvement_evidence(review: Review) -> tuple[bool, list[str]]:
    """Whether the log shows the family's involvement was recorded (a contact, or an offer the
    family declined: the review sought them out), with what it holds, by designation."""
    log = family_log(review)
    declined = [offer for offer in log.offers if offer.response == FamilyOffer.Response.DECLINED]
    evidence = [
        f"Family involvement log: {len(log.contacts)} contact{_s(len(log.contacts))}, "
        f"{len(log.offers)} offer{_s(len(log.offers))} ({len(declined)} declined)."
    ]
    evidence += [
        f"{contact.contact_date:%-d %B %Y}: {contact.get_method_display().lower()} with {contact.person.designation}."
        for contact in log.contacts
    ]
    evidence += [
        f"{offer.made_on:%-d %B %Y}: offer to {offer.person.designation} to "
        f"{offer.what[0].lower()}{offer.what[1:]}, {offer.get_response_display().lower()}"
        f"{f' on {offer.response_date:%-d %B %Y}' if offer.response_date else ''}."
        for offer in log.offers
    ]
    if not log.contacts and not declined:
        evidence.append("No contact with the family, and no offer they declined, is recorded in the log.")
    return bool(log.contacts or declined), evidence


def _s(count: int) -> str:
    return "" if count == 1 else "s"
