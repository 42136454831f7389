"""The demo's family reader: the victim's mother, invited by the chair to read the demo DHR's
overview report and executive summary as they read when the demo was loaded (user ``family``,
documented in README.md). Loaded once: run again, it keeps what exists."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import Invitation, User
from reports import family_services
from reports.family_models import FamilyReader
from reports.family_selectors import NOW, family_documents
from reviews.models import Review


def demo_family_reader_load(reference: str, *, chair: User, reader: User) -> list[str]:
    """Invite ``reader`` (an account the demo made, with the demo's password and authenticator) to
    read the review's two documents for a year, through the one invitation mechanism; the demo
    account stands for the one the invitation would have made, so it is marked accepted by it."""
    review = Review.objects.filter(reference=reference).first()
    if review is None:
        return []
    if FamilyReader.objects.filter(review=review, invitation__accepted_by=reader).exists():
        return [f"{reference}'s family reader is already loaded"]
    documents = family_documents(review)
    if not documents:
        return []
    reading = family_services.family_reader_invite(
        actor=chair,
        review=review,
        name=reader.get_full_name(),
        relationship="the victim's mother",
        email=reader.email,
        access_until=timezone.localdate() + datetime.timedelta(days=365),
        versions=dict.fromkeys(documents.values(), NOW),
    )
    Invitation.objects.filter(pk=reading.invitation_id).update(accepted_at=timezone.now(), accepted_by=reader)
    return [f"{reference}: {reader.username} may read the overview report and executive summary"]
