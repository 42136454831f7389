"""A signed-in person changes their password; a forgotten one is reset by an emailed link that
says nothing about who has an account, works once and expires, and still leaves the second
factor to pass."""

import re
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import password_services
from accounts.models import User
from reviews.models import AuditEntry, Notification
from tests.conftest import force_login_password_only, mfa_device, totp_code
from tests.factories import UserFactory

OLD = "correct horse battery staple"
NEW = "a brand new long passphrase"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def person(db) -> User:
    user = UserFactory(username="forgetful", email="forgetful@example.org")
    user.set_password(OLD)
    user.save()
    mfa_device(user)
    return user


def _request_reset(client: Client, email: str, capture):
    with capture(execute=True):
        return client.post(reverse("password_reset"), {"email": email})


def _reset_path(mailoutbox) -> str:
    return re.search(r"http://[^/\s]+(/accounts/password/reset/\S+/\S+/)", mailoutbox[-1].body).group(1)


# --- change ---


def test_changing_the_password_asks_for_the_current_one(client, person):
    client.force_login(person)
    response = client.post(
        reverse("password_change"), {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 200
    assert "That is not your current password" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_a_new_password_must_pass_the_password_rules(client, person):
    client.force_login(person)
    response = client.post(
        reverse("password_change"), {"old_password": OLD, "new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_changing_the_password_keeps_this_session_and_signs_out_every_other(person):
    here, elsewhere = Client(), Client()
    here.force_login(person)
    elsewhere.force_login(person)
    assert elsewhere.get(reverse("home")).status_code == 200
    response = here.post(reverse("password_change"), {"old_password": OLD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW)
    assert here.get(reverse("home")).status_code == 200  # still signed in, second factor still passed
    gone = elsewhere.get(reverse("home"))
    assert gone.status_code == 302 and gone.url.startswith(reverse("login"))
    assert AuditEntry.objects.filter(action="password.changed", actor=person).count() == 1


def test_a_password_only_session_cannot_change_the_password(client, person):
    force_login_password_only(client, person)
    response = client.post(
        reverse("password_change"), {"old_password": OLD, "new_password1": NEW, "new_password2": NEW}
    )
    assert response.url.startswith(reverse("mfa_verify"))
    person.refresh_from_db()
    assert person.check_password(OLD)


# --- reset ---


def test_a_known_and_an_unknown_address_get_the_same_answer(
    client, person, mailoutbox, django_capture_on_commit_callbacks
):
    known = _request_reset(client, "forgetful@example.org", django_capture_on_commit_callbacks)
    unknown = _request_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    # One email each: the link to the account's address, and a note (no link) that no account uses the other.
    assert [message.to for message in mailoutbox] == [["forgetful@example.org"], ["nobody@example.org"]]
    assert mailoutbox[0].subject == mailoutbox[1].subject
    assert "/accounts/password/reset/" in mailoutbox[0].body
    assert "/accounts/password/reset/" not in mailoutbox[1].body
    assert "no casereview account uses it" in mailoutbox[1].body
    actions = list(AuditEntry.objects.filter(action="password_reset.requested").values_list("object_repr", flat=True))
    assert sorted(actions) == sorted([str(person), password_services.UNKNOWN])


def test_the_message_names_no_account(client, person, django_capture_on_commit_callbacks):
    texts = []
    for email in ("forgetful@example.org", "nobody@example.org"):
        response = _request_reset(client, email, django_capture_on_commit_callbacks)
        page = client.get(response.url).content.decode()
        texts.append(re.sub(r'value="[\w-]{64}"', "TOKEN", page.replace(email, "EMAIL")))
    assert texts[0] == texts[1]
    assert "If a casereview account uses EMAIL, we have emailed it a link" in texts[0]


def test_an_unknown_address_takes_the_same_steps_as_a_known_one(person, django_capture_on_commit_callbacks):
    """No early return: the token is made, the request recorded and an email queued for an unknown
    address too."""
    with mock.patch.object(
        password_services.default_token_generator, "make_token", wraps=default_token_generator.make_token
    ) as make_token:
        password_services.password_reset_request(email="nobody@example.org", ip="10.0.0.1")
        password_services.password_reset_request(email="forgetful@example.org", ip="10.0.0.1")
    assert make_token.call_count == 2
    assert Notification.objects.count() == 2
    assert AuditEntry.objects.filter(action="password_reset.requested").count() == 2


def test_the_link_sets_a_new_password_once(client, person, mailoutbox, django_capture_on_commit_callbacks):
    _request_reset(client, "forgetful@example.org", django_capture_on_commit_callbacks)
    path = _reset_path(mailoutbox)
    assert client.get(path).status_code == 200
    response = client.post(path, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response.url == reverse("login")
    person.refresh_from_db()
    assert person.check_password(NEW)
    again = client.get(path)
    assert again.status_code == 400
    assert "This link has been used already" in again.content.decode()
    assert client.post(path, {"new_password1": OLD, "new_password2": OLD}).status_code == 400
    person.refresh_from_db()
    assert person.check_password(NEW)
    actions = set(AuditEntry.objects.filter(object_id=str(person.pk)).values_list("action", flat=True))
    assert {"password_reset.requested", "password_reset.completed", "password_reset.link_refused"} <= actions
    # The link, a one-time secret, is erased from the outbox once sent.
    assert not Notification.objects.filter(body__contains=path).exists()


def test_an_expired_link_is_refused_with_a_clear_message(
    client, person, mailoutbox, django_capture_on_commit_callbacks
):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    _request_reset(client, "forgetful@example.org", django_capture_on_commit_callbacks)
    path = _reset_path(mailoutbox)
    later = default_token_generator._now().timestamp() + settings.PASSWORD_RESET_TIMEOUT + 60
    import datetime

    with mock.patch.object(type(default_token_generator), "_now", return_value=datetime.datetime.fromtimestamp(later)):
        response = client.post(path, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 400
    assert "This link has expired: a password reset link works for 1 hour. Ask for a new one." in (
        response.content.decode()
    )
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_a_made_up_link_is_refused(client, person):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "abc-def"]))
    assert response.status_code == 400
    assert "This link cannot be used" in response.content.decode()


def test_the_new_password_must_pass_the_password_rules(client, person, mailoutbox, django_capture_on_commit_callbacks):
    _request_reset(client, "forgetful@example.org", django_capture_on_commit_callbacks)
    response = client.post(_reset_path(mailoutbox), {"new_password1": "forgetful1", "new_password2": "forgetful1"})
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_a_reset_does_not_sign_in_nor_pass_the_second_factor(
    client, person, mailoutbox, django_capture_on_commit_callbacks
):
    other = Client()
    other.force_login(person)  # a session from before the reset
    _request_reset(client, "forgetful@example.org", django_capture_on_commit_callbacks)
    client.post(_reset_path(mailoutbox), {"new_password1": NEW, "new_password2": NEW})
    assert "_auth_user_id" not in client.session
    ended = other.get(reverse("home"))
    assert ended.url.startswith(reverse("login"))  # the session from before has ended
    signed = client.post(reverse("login"), {"username": "forgetful", "password": NEW})
    assert signed.status_code == 302
    blocked = client.get(reverse("home"))
    assert blocked.url.startswith(reverse("mfa_verify"))  # the new password alone opens nothing
    client.post(reverse("mfa_verify"), {"code": totp_code(person)})
    assert client.get(reverse("home")).status_code == 200


def test_requests_are_limited_per_address(client, person, django_capture_on_commit_callbacks, settings):
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    for _ in range(2):
        assert _request_reset(client, "forgetful@example.org", django_capture_on_commit_callbacks).status_code == 302
    refused = _request_reset(client, "FORGETFUL@example.org", django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert "Too many reset requests for this address or from your network" in refused.content.decode()
    # An unknown address is limited in just the same way.
    for _ in range(2):
        _request_reset(client, "nobody@example.org", django_capture_on_commit_callbacks)
    assert _request_reset(client, "nobody@example.org", django_capture_on_commit_callbacks).status_code == 429
    assert AuditEntry.objects.filter(action="password_reset.rate_limited").count() == 2


def test_requests_are_limited_per_network_address(client, person, django_capture_on_commit_callbacks, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 3
    for n in range(3):
        assert _request_reset(client, f"a{n}@example.org", django_capture_on_commit_callbacks).status_code == 302
    assert _request_reset(client, "forgetful@example.org", django_capture_on_commit_callbacks).status_code == 429
