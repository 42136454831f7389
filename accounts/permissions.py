"""Access to a person's own sign-in objects: another person's passkey answers 404."""

from __future__ import annotations

from django.http import Http404
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import User


def passkey_get_for_user(user: User, pk: int) -> WebAuthnCredential:
    """One of the user's own passkeys."""
    credential = WebAuthnCredential.objects.filter(pk=pk, user=user).first()
    if credential is None:
        raise Http404("No such passkey")
    return credential
