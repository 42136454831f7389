"""Multi-factor sign-in: a password alone opens only the MFA pages."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from reviews.models import AuditEntry
from tests.conftest import PERSONAS, force_login_password_only, mfa_device, totp_code
from tests.factories import UserFactory
from tests.test_permission_matrix import MATRIX, Row

# Every test here signs in and makes requests: the world is built once for the module and each
# test runs in a savepoint of it (tests/conftest.py).
SHARED_WORLD = True
PASSWORD = "correct horse battery staple"
# What a session that has passed only the password step may still use.
OPEN_WITHOUT_MFA = {
    "login", "logout", "mfa_verify", "mfa_enrol", "invitation_accept", "accessibility",
    # A passkey is a second factor: its sign-in ceremony is for a password-only session.
    "passkey_auth_begin", "passkey_auth_complete",
}  # fmt: skip


def _password_sign_in(client: Client, user: User) -> None:
    user.set_password(PASSWORD)
    user.save()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.mark.parametrize("row", [row for row in MATRIX if row.name not in OPEN_WITHOUT_MFA], ids=lambda r: r.id)
def test_a_password_only_session_reaches_nothing_but_mfa(client, world, row: Row):
    mfa_device(world.board_admin)
    force_login_password_only(client, world.board_admin)
    url = reverse(row.name, args=row.args(world))
    data = row.data(world)
    audit_before = AuditEntry.objects.count()
    response = client.get(url, data) if row.method == "GET" else client.post(url, data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_verify") + "?next=")
    assert AuditEntry.objects.count() == audit_before  # nothing was changed


def test_a_password_only_session_without_an_authenticator_is_sent_to_set_one_up(client, world):
    user = UserFactory()
    force_login_password_only(client, user)
    response = client.get(reverse("reviews:detail", args=[world.review.pk]))
    assert response.url == reverse("mfa_enrol") + f"?next=%2Freviews%2F{world.review.pk}%2F"


def test_htmx_requests_without_mfa_load_the_code_page_as_a_whole_page(client, world):
    force_login_password_only(client, world.author_a)
    response = client.get(reverse("chronology:entries", args=[world.review.pk, world.imr_a.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("mfa_verify"))


def test_sign_in_asks_for_the_code_and_a_right_code_opens_the_app(client, world):
    mfa_device(world.chair)
    _password_sign_in(client, world.chair)
    response = client.get(reverse("reviews:detail", args=[world.review.pk]))
    assert response.url.startswith(reverse("mfa_verify"))
    next_url = reverse("reviews:detail", args=[world.review.pk])
    wrong = client.post(reverse("mfa_verify"), {"code": "000000", "next": next_url})
    assert "That code is not right" in wrong.content.decode()
    # django-otp slows down guessing after a failure: wait it out for the right code.
    TOTPDevice.objects.filter(user=world.chair).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    right = client.post(reverse("mfa_verify"), {"code": totp_code(world.chair), "next": next_url})
    assert right.status_code == 302 and right.url == next_url
    assert client.get(next_url).status_code == 200


def test_a_used_code_cannot_be_used_again(client, world):
    device = mfa_device(world.chair)
    code = totp_code(world.chair)
    assert device.verify_token(code)
    _password_sign_in(client, world.chair)
    response = client.post(reverse("mfa_verify"), {"code": code})
    assert response.status_code == 200 and "That code is not right" in response.content.decode()


def test_mfa_verify_does_not_redirect_to_another_site(client, world):
    mfa_device(world.chair)
    _password_sign_in(client, world.chair)
    response = client.post(reverse("mfa_verify"), {"code": totp_code(world.chair), "next": "https://evil.example/"})
    assert response.url == "/"


def test_enrolment_shows_a_qr_code_and_key_then_recovery_codes_once(client, world):
    user = UserFactory(username="newcomer")
    _password_sign_in(client, user)
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("mfa_enrol"))
    page = client.get(reverse("mfa_enrol")).content.decode()
    assert "<svg" in page and "QR code for your app" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = re.search(r'<code class="mfa-secret">([A-Z2-7 ]+)</code>', page).group(1)
    from base64 import b32decode

    assert b32decode(secret.replace(" ", "")) == device.bin_key
    # The same key on a reload, so a half-scanned code stays valid.
    assert secret in client.get(reverse("mfa_enrol")).content.decode()
    wrong = client.post(reverse("mfa_enrol"), {"code": "123456"})
    assert "That code is not right" in wrong.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    device.refresh_from_db()
    from django_otp.oath import totp

    response = client.post(reverse("mfa_enrol"), {"code": f"{totp(device.bin_key):06d}"})
    assert response.url == reverse("mfa_recovery_codes")
    codes_page = client.get(reverse("mfa_recovery_codes")).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", codes_page)
    assert len(codes) == 10
    assert set(codes) == set(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True))
    again = client.get(reverse("mfa_recovery_codes")).content.decode()
    assert not any(code in again for code in codes)
    assert client.get(reverse("home")).status_code == 200
    assert AuditEntry.objects.filter(action="mfa.enrolled", object_id=str(user.pk)).exists()


def test_with_an_authenticator_set_up_a_password_alone_cannot_add_another(client, world):
    mfa_device(world.chair)
    force_login_password_only(client, world.chair)
    assert client.get(reverse("mfa_enrol")).url == reverse("mfa_verify")
    assert client.post(reverse("mfa_enrol"), {"code": "123456"}).url == reverse("mfa_verify")
    assert TOTPDevice.objects.filter(user=world.chair).count() == 1


def test_a_recovery_code_signs_in_once(client, world):
    mfa_device(world.panel)
    client.force_login(world.panel)
    client.post(reverse("mfa_recovery_codes"))
    code = StaticDevice.objects.get(user=world.panel).token_set.first().token
    other = Client()
    _password_sign_in(other, world.panel)
    assert other.post(reverse("mfa_verify"), {"code": code.upper()}).url == "/"
    assert AuditEntry.objects.filter(action="mfa.recovery_code_used", object_id=str(world.panel.pk)).exists()
    third = Client()
    _password_sign_in(third, world.panel)
    assert "That code is not right" in third.post(reverse("mfa_verify"), {"code": code}).content.decode()


def test_new_recovery_codes_replace_the_old(client, world):
    client.force_login(world.panel)
    client.post(reverse("mfa_recovery_codes"))
    old = set(StaticDevice.objects.get(user=world.panel).token_set.values_list("token", flat=True))
    response = client.post(reverse("mfa_recovery_codes"), follow=True)
    new = set(StaticDevice.objects.get(user=world.panel).token_set.values_list("token", flat=True))
    assert old.isdisjoint(new) and len(new) == 10
    assert all(code in response.content.decode() for code in new)


def test_every_persona_in_the_test_world_is_enrolled_and_verified(client, world):
    """The central test set-up (tests/conftest.py) signs personas in with both factors."""
    for persona in PERSONAS[1:]:
        user = world.persona(persona)
        client.force_login(user)
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        # A page behind the second factor that everyone reaches (home sends a family reader to their reading).
        assert client.get(reverse("account_security")).status_code == 200


def test_after_wrong_codes_the_page_says_until_when_codes_are_refused(client, world):
    mfa_device(world.chair)
    _password_sign_in(client, world.chair)
    assert "That code is not right" in client.post(reverse("mfa_verify"), {"code": "000000"}).content.decode()
    page = client.post(reverse("mfa_verify"), {"code": totp_code(world.chair)}).content.decode()
    assert "Too many wrong codes: codes are refused until" in page
    assert client.get(reverse("home")).status_code == 302


def test_a_recovery_code_works_while_wrong_codes_are_throttled(client, world):
    mfa_device(world.chair)
    client.force_login(world.chair)
    client.post(reverse("mfa_recovery_codes"))
    code = StaticDevice.objects.get(user=world.chair).token_set.first().token
    other = Client()
    _password_sign_in(other, world.chair)
    other.post(reverse("mfa_verify"), {"code": "000000"})
    assert other.post(reverse("mfa_verify"), {"code": code}).url == "/"
