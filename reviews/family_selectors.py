"""Reads for the family involvement log: the log of one review, and the state of the family's
involvement across many reviews for the board's process view."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Exists, OuterRef

from reviews.family_models import FamilyContact, FamilyOffer
from reviews.models import Review

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
