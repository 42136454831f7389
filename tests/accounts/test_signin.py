"""Sign-in limits: lockout after repeated failures, sessions that end, strong passwords."""

import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import mfa_device
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


def _sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failed_sign_ins_lock_the_username_out_even_with_the_right_password(db):
    user = UserFactory(username="target")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert _sign_in(client, "target", "wrong password").status_code == 200
    locked = _sign_in(client, "target", "wrong password")
    assert locked.status_code == 429
    assert (
        "Too many failed sign-ins for this username from your network. Try again in 15 minutes"
        in locked.content.decode()
    )
    assert _sign_in(client, "target", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_touch_other_usernames(db):
    other = UserFactory(username="bystander")
    other.set_password(PASSWORD)
    other.save()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "target", "wrong password")
    assert _sign_in(client, "bystander", PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(db):
    user = UserFactory(username="forgetful")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, "forgetful", "wrong password")
    assert _sign_in(client, "forgetful", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "forgetful", "wrong password").status_code == 200


def test_sessions_end_after_thirty_minutes_without_a_request(client, world):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(world.chair)
    assert client.get(reverse("home")).status_code == 200
    assert client.session.get_expiry_age() == 30 * 60
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_each_request_renews_the_session(client, world):
    client.force_login(world.chair)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=1))
    client.get(reverse("home"))
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(minutes=29)


def test_passwords_need_twelve_characters_and_may_not_be_common_or_numeric(db):
    user = UserFactory.build(username="someone", first_name="Someone")
    for weak, reason in [
        ("short pass", "at least 12 characters"),
        ("123456789012345", "entirely numeric"),
        ("password1234", "too common"),
    ]:
        try:
            validate_password(weak, user)
        except ValidationError as exc:
            assert any(reason in message for message in exc.messages), exc.messages
        else:
            raise AssertionError(f"{weak!r} was accepted")
    validate_password(PASSWORD, user)


def test_mfa_device_throttles_repeated_wrong_codes(client, world):
    """After a wrong code django-otp refuses even the right one for a while (1 s, then 2, 4...)."""
    from tests.conftest import totp_code

    device = mfa_device(world.chair)
    assert not device.verify_token("000000")
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert not device.verify_token(totp_code(world.chair))
