"""Access to the family involvement log: the panel's (chair, panel members, board
administrators) to read, the chair's and board administrators' to change; 404 for everyone
else, IMR authors and action owners included; read only once the review is archived.

The log holds personal data (what relatives said, who they are): every look at one of its pages
is recorded in the audit trail (``reviews.audit.audit_view``) by the helper that grants it."""

from __future__ import annotations

from django.http import Http404

from accounts.models import User
from reviews.audit import audit_view
from reviews.family_models import FamilyContact, FamilyOffer
from reviews.family_selectors import family_contact_in_review, family_offer_in_review
from reviews.permissions import ReviewAccess, panel_get_for_user


def family_log_get_for_user(user: User, review_pk: int, *, write: bool = False, look: bool = True) -> ReviewAccess:
    """The review's family involvement log. ``look``: the page about to be shown reads the log
    (a recorded look); a write that answers with a redirect shows nothing."""
    access = panel_get_for_user(user, review_pk, write=write)
    if look:
        audit_view(
            actor=user, action="family_log.viewed", obj=access.review, review=access.review,
            object_repr="Family involvement log",
        )  # fmt: skip
    return access


def family_contact_get_for_user(
    user: User, review_pk: int, pk: int, *, write: bool = False, look: bool = True
) -> tuple[ReviewAccess, FamilyContact]:
    access = family_log_get_for_user(user, review_pk, write=write, look=look)
    contact = family_contact_in_review(access.review, pk)
    if contact is None:
        raise Http404("No such contact")
    return access, contact


def family_offer_get_for_user(
    user: User, review_pk: int, pk: int, *, write: bool = False, look: bool = True
) -> tuple[ReviewAccess, FamilyOffer]:
    access = family_log_get_for_user(user, review_pk, write=write, look=look)
    offer = family_offer_in_review(access.review, pk)
    if offer is None:
        raise Http404("No such offer")
    return access, offer
