"""Passkeys beside the authenticator app: listed on the security page, removed (recorded), one's
own only, and never a way past the password. The ceremonies themselves run in Chromium
(tests/browser/test_account_security.py)."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import User
from reviews.models import AuditEntry
from tests.conftest import force_login_password_only, mfa_device


def _passkey(user: User, name: str = "Work laptop") -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user, name=name, credential_id=f"id-{user.pk}-{name}".encode(), public_key=b"key", confirmed=True
    )


@pytest.fixture
def passkeys_here(settings):
    """The test client's host is the one passkeys are bound to."""
    settings.OTP_WEBAUTHN_RP_ID = "testserver"


def test_the_security_page_lists_ones_own_passkeys_only(client, world, passkeys_here):
    _passkey(world.chair, "Chair's phone")
    _passkey(world.panel, "Panel laptop")
    client.force_login(world.chair)
    page = client.get(reverse("account_security")).content.decode()
    assert "Chair&#x27;s phone" in page and "Panel laptop" not in page
    assert 'id="otp_webauthn_config"' in page
    assert "/static/django_otp_webauthn/otp_webauthn_register.js" in page


def test_removing_a_passkey_is_recorded(client, world):
    passkey = _passkey(world.chair)
    client.force_login(world.chair)
    response = client.post(reverse("passkey_remove", args=[passkey.pk]))
    assert response.url == reverse("account_security")
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    entry = AuditEntry.objects.get(action="mfa.passkey_removed")
    assert entry.actor == world.chair and entry.detail == {"passkey": "Work laptop"}
    assert "Removed the work laptop: it no longer signs you in." in client.get(response.url).content.decode()


def test_another_persons_passkey_cannot_be_removed(client, world):
    passkey = _passkey(world.panel)
    client.force_login(world.chair)
    assert client.post(reverse("passkey_remove", args=[passkey.pk])).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_a_password_only_session_cannot_add_a_passkey(client, world):
    mfa_device(world.chair)
    force_login_password_only(client, world.chair)
    response = client.post(reverse("passkey_register_begin"))
    assert response.status_code == 302 and response.url.startswith(reverse("mfa_verify"))


def test_passkeys_are_offered_only_at_the_address_they_are_bound_to(client, world, settings):
    settings.OTP_WEBAUTHN_RP_ID = "casereview.example.org"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://casereview.example.org"]
    _passkey(world.chair)
    client.force_login(world.chair)
    page = client.get(reverse("account_security")).content.decode()
    assert "Passkeys are made and used at https://casereview.example.org: open casereview there to add one." in page
    assert "otp_webauthn_register.js" not in page and "Add a passkey" not in page


def test_the_code_page_offers_a_passkey_only_to_someone_with_one(client, world, passkeys_here):
    mfa_device(world.chair)
    force_login_password_only(client, world.chair)
    assert "Use a passkey" not in client.get(reverse("mfa_verify")).content.decode()
    _passkey(world.chair)
    page = client.get(reverse("mfa_verify")).content.decode()
    assert "Use a passkey" in page and "/static/django_otp_webauthn/otp_webauthn_auth.js" in page


def test_a_passkey_sign_in_is_for_someone_past_the_password_step(world):
    anonymous = Client()
    response = anonymous.post(reverse("passkey_auth_begin"))
    assert response.url.startswith(reverse("login"))
    signed = Client()
    _passkey(world.chair)
    force_login_password_only(signed, world.chair)
    options = signed.post(reverse("passkey_auth_begin"))
    assert options.status_code == 200
    # Only the chair's own passkey is offered.
    allowed = json.loads(options.content)["allowCredentials"]
    assert len(allowed) == 1


def test_adding_a_passkey_is_limited(client, world):
    for n in range(10):
        _passkey(world.chair, f"Key {n}")
    client.force_login(world.chair)
    response = client.post(reverse("passkey_register_begin"))
    assert response.status_code == 400
    assert "remove one you no longer use first" in json.loads(response.content)["detail"]


def test_removing_the_passkey_this_session_signed_in_with_keeps_it_signed_in(client, world):
    from django_otp import DEVICE_ID_SESSION_KEY

    passkey = _passkey(world.chair)
    mfa_device(world.chair)
    force_login_password_only(client, world.chair)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = passkey.persistent_id
    session.save()
    assert client.get(reverse("account_security")).status_code == 200
    response = client.post(reverse("passkey_remove", args=[passkey.pk]))
    assert response.url == reverse("account_security")
    assert client.get(reverse("account_security")).status_code == 200  # not sent to enter a code
