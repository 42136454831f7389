"""Reads for accounts: the invitation a link names."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet

from accounts.models import Invitation
from reviews.models import Partnership


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation an emailed link names (only its hash is stored), or None."""
    return Invitation.objects.filter(token_hash=invitation_token_hash(token)).first()


def invitations_recent(partnership: Partnership) -> QuerySet[Invitation]:
    """The partnership's latest invitations, for its invitations page."""
    return partnership.invitations.select_related("review", "invited_by")[:50]
