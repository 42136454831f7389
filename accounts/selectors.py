"""Reads for accounts: the invitation a link names, a person's passkeys, the account a reset link names."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.http import Http404
from django.utils.http import urlsafe_base64_decode
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import Invitation, User
from reviews.models import Partnership


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation an emailed link names (only its hash is stored), or None."""
    return Invitation.objects.filter(token_hash=invitation_token_hash(token)).first()


def invitations_recent(partnership: Partnership) -> QuerySet[Invitation]:
    """The partnership's latest invitations, for its invitations page."""
    return partnership.invitations.select_related("review", "invited_by")[:50]


def invitation_in_partnership(partnership: Partnership, pk: int) -> Invitation:
    """One of the partnership's invitations; another partnership's answers 404."""
    invitation = partnership.invitations.filter(pk=pk).first()
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def passkeys_for_user(user: User) -> QuerySet[WebAuthnCredential]:
    """The user's own passkeys, newest first, for their security page."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("-created_at", "-pk")


def authenticator_for_user(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def passkey_count(user: User) -> int:
    return passkeys_for_user(user).count()


def password_reset_user(email: str) -> User | None:
    """The active account an address belongs to, if any, that may have its password reset."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    return user if user is not None and user.has_usable_password() else None


def user_for_reset_uid(uidb64: str) -> User | None:
    """The active account a reset link's first part names, or None (whatever it holds)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()
