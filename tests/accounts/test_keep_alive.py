"""The session's keep-alive: how long it has left, "Stay signed in", and what a script's request
gets once the session has ended (401 and a message, never the sign-in page)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from chronology.models import ChronologyEntry

KEEP_ALIVE = "session_keep_alive"
HTMX = {"HTTP_HX_REQUEST": "true"}
JSON = {"HTTP_ACCEPT": "application/json"}
SIGNED_OUT = "You have been signed out after 30 minutes without activity. What you typed has not been saved"


def _session(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def _ends_in(client: Client, seconds: int) -> None:
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=seconds)
    )


def _entry_create_url(world) -> str:
    return reverse("chronology:entry_create", args=[world.review.pk, world.imr_a.pk])


def test_staying_signed_in_keeps_the_session_for_another_idle_period(client, world):
    client.force_login(world.author_a)
    _ends_in(client, 10)
    response = client.post(reverse(KEEP_ALIVE), **JSON)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["seconds_left"] == 30 * 60
    left = _session(client).expire_date - timezone.now()
    assert datetime.timedelta(minutes=29) < left <= datetime.timedelta(minutes=30)
    assert "no-cache" in response["Cache-Control"]


def test_asking_how_long_is_left_does_not_extend_the_session(client, world):
    """An idle tab asks before it warns: its asking must not keep the session alive for ever."""
    client.force_login(world.author_a)
    _ends_in(client, 100)
    before = _session(client).expire_date
    response = client.get(reverse(KEEP_ALIVE), **JSON)
    assert response.status_code == 200
    assert 95 <= response.json()["seconds_left"] <= 100
    assert _session(client).expire_date == before


def test_the_answer_carries_the_csrf_token_a_page_needs_after_signing_in_again(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.author_a)
    token = client.get(reverse(KEEP_ALIVE), **JSON).json()["csrf_token"]
    response = client.post(reverse(KEEP_ALIVE), HTTP_X_CSRFTOKEN=token, **JSON)
    assert response.status_code == 200
    assert response.json()["seconds_left"] == 30 * 60


def test_keeping_alive_needs_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.author_a)
    response = client.post(reverse(KEEP_ALIVE), **JSON)
    assert response.status_code == 403
    assert "seconds_left" not in response.content.decode()


def test_keeping_alive_needs_post_or_get(client, world):
    client.force_login(world.author_a)
    assert client.put(reverse(KEEP_ALIVE), **JSON).status_code == 405


def test_keeping_alive_needs_someone_signed_in(client, world):
    response = client.post(reverse(KEEP_ALIVE), **JSON)
    assert response.status_code == 401
    assert SIGNED_OUT in response.content.decode()
    # Loaded as a page (not by script), it is the sign-in page as anywhere else.
    response = client.post(reverse(KEEP_ALIVE))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_ended_session_cannot_be_kept_alive(client, world):
    client.force_login(world.author_a)
    _ends_in(client, -1)
    response = client.post(reverse(KEEP_ALIVE), **JSON)
    assert response.status_code == 401
    assert not Session.objects.filter(expire_date__gt=timezone.now()).exists()


def test_an_htmx_request_after_the_session_ended_gets_401_and_says_so(client, world):
    client.force_login(world.author_a)
    _ends_in(client, -1)
    response = client.post(_entry_create_url(world), {"date": "May 2021", "details": "Typed at length"}, **HTMX)
    assert response.status_code == 401
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "HX-Redirect" not in response
    assert response.content.decode().startswith(SIGNED_OUT)
    assert not ChronologyEntry.objects.filter(details="Typed at length").exists()


def test_a_fetch_for_json_after_the_session_ended_gets_401(client, world):
    url = reverse("reports:documents", args=[world.review.pk])
    response = client.get(url, **JSON)
    assert response.status_code == 401
    assert response.content.decode().startswith(SIGNED_OUT)


def test_the_message_gives_the_idle_timeout_as_set(client, world, settings):
    settings.SESSION_COOKIE_AGE = 8
    response = client.post(_entry_create_url(world), {"date": "May 2021"}, **HTMX)
    assert response.content.decode().startswith("You have been signed out after 8 seconds without activity.")


@pytest.mark.parametrize(
    ("idle", "warning", "every", "shown_warning", "shown_every"),
    [(30 * 60, 120, 300, 120, 300), (8, 5, 1, 5, 1), (60, 120, 300, 60, 1), (600, 120, 300, 120, 240)],
)
def test_each_page_counts_down_the_idle_timeout_as_set(
    client, world, settings, idle, warning, every, shown_warning, shown_every
):
    settings.SESSION_COOKIE_AGE = idle
    settings.SESSION_TIMEOUT_WARNING_SECONDS = warning
    settings.SESSION_KEEP_ALIVE_EVERY_SECONDS = every
    client.force_login(world.author_a)
    html = client.get(reverse("home")).content.decode()
    assert f'data-idle-seconds="{idle}"' in html
    # The warning comes at most at the start; typing keeps the session alive before it would come.
    assert f'data-warning-seconds="{shown_warning}"' in html
    assert f'data-keep-alive-every="{shown_every}"' in html
    assert f'data-url="{reverse(KEEP_ALIVE)}"' in html
    assert "js/timeout.js" in html


def test_the_sign_in_page_has_no_timeout_warning(client, db):
    assert "session-timeout" not in client.get(reverse("login")).content.decode()
