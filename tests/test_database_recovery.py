"""The database going away under the running application (PostgreSQL restarted, or a
connection cut by a failover or an idle timeout): the application notices at the start of the
next request, opens a new connection and answers, without restarting anything.

Requests go through Django's real WSGI handler (not the test client, which switches off the
per-request connection checks), in this thread, so they use the connection the test cuts."""

from __future__ import annotations

import psycopg
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="needs PostgreSQL to cut a connection"
    ),
    pytest.mark.django_db(transaction=True),
]


def _cut_the_applications_connection() -> int:
    """What a server restart does to the application's connection: the server end goes away."""
    pid = connection.connection.info.backend_pid
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"], port=db["PORT"] or None,
        autocommit=True,
    ) as other:  # fmt: skip
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    return pid


def _home(cookie: str) -> tuple[str, str]:
    environ = RequestFactory().get("/", HTTP_COOKIE=cookie, SERVER_NAME="testserver").environ
    answer: dict[str, str] = {}
    body = b"".join(WSGIHandler()(environ, lambda status, headers: answer.update(status=status)))
    return answer["status"], body.decode()


def test_the_running_application_reconnects_after_its_database_connection_is_cut():
    client = Client()
    client.force_login(UserFactory(username="reader", first_name="Rita", last_name="Reader"))
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    status, page = _home(cookie)
    assert status == "200 OK" and "Rita Reader" in page  # the session and user came from the database
    connection.ensure_connection()
    old = _cut_the_applications_connection()
    status, page = _home(cookie)
    assert status == "200 OK" and "Rita Reader" in page
    assert connection.connection.info.backend_pid != old  # a new connection, opened by the application
