"""/health/live and /health/ready: open to a probe (no sign-in, no session, any Host), 503 naming
what fails when Redis or the database is stopped, and nothing secret or personal in the answer."""

import json
import os
import socket

import pytest
from django.db.utils import ConnectionHandler
from django.test import Client

from casereview import health


@pytest.fixture(autouse=True)
def _fresh_answers(settings):
    settings.HEALTH_CACHE_SECONDS = 0
    health._cached = None
    yield
    health._cached = None


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens there


def _ready(client: Client):
    response = client.get("/health/ready")
    return response, json.loads(response.content)


def test_liveness_answers_without_database_session_or_known_host(client):
    # No database access is allowed in this test: a query would raise.
    response = client.get("/health/live", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert "Set-Cookie" not in response.headers and response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readiness_is_ok_in_process_and_says_so(client, settings):
    settings.REDIS_URL = ""
    response, body = _ready(client)
    assert response.status_code == 200
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database", "broker", "storage", "workers"}
    assert body["checks"]["broker"]["detail"].startswith("in-process")
    assert body["checks"]["workers"]["detail"].startswith("in-process")
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_readiness_reports_a_stopped_redis(client, settings):
    port = _closed_port()
    settings.REDIS_URL = f"redis://:hunter2-secret@127.0.0.1:{port}/0"
    response, body = _ready(client)
    assert response.status_code == 503
    assert body["status"] == "failing" and body["failing"] == ["broker"]
    assert body["checks"]["broker"]["detail"].startswith("Redis does not answer")
    assert "hunter2" not in response.content.decode() and str(port) not in response.content.decode()


def test_readiness_reports_a_stopped_database(client, monkeypatch, django_db_blocker):
    port = _closed_port()
    stopped = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "HOST": "127.0.0.1",
                "PORT": str(port),
                "NAME": "casereview",
                "USER": "casereview",
                "PASSWORD": "hunter2-secret",
                "OPTIONS": {"connect_timeout": 2},
            }
        }
    )
    monkeypatch.setattr(health, "connections", stopped)
    with django_db_blocker.unblock():
        response, body = _ready(client)
    assert response.status_code == 503
    assert body["failing"] == ["database"]
    assert body["checks"]["database"]["detail"] == "default: cannot query (OperationalError)"
    assert "hunter2" not in response.content.decode() and str(port) not in response.content.decode()


def test_readiness_reports_workers_that_do_not_answer(client, monkeypatch, settings):
    monkeypatch.setattr(health, "check_broker", lambda: {"ok": True, "detail": "Redis answers"})
    monkeypatch.setattr(health, "check_database", lambda: {"ok": True, "detail": "answers"})
    monkeypatch.setitem(health.celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(health.celery_app.control, "ping", lambda timeout, limit: [])
    settings.HEALTH_WORKER_PING_TIMEOUT = 0.5
    response, body = _ready(client)
    assert response.status_code == 503
    assert body["failing"] == ["workers"]
    assert body["checks"]["workers"]["detail"] == "no worker answered within 0.5 s"


@pytest.mark.django_db
def test_readiness_is_reused_within_its_cache_time(client, settings, monkeypatch):
    settings.HEALTH_CACHE_SECONDS = 60
    calls = []
    real = health.readiness
    monkeypatch.setattr(health, "readiness", lambda: calls.append(1) or real())
    for _ in range(3):
        assert client.get("/health/ready").status_code == 200
    assert len(calls) == 1


def test_health_paths_answer_get_only(client):
    assert client.post("/health/live").status_code == 405


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
@pytest.mark.django_db
def test_readiness_finds_a_running_redis(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    response, body = _ready(client)
    assert body["checks"]["broker"] == {"ok": True, "detail": "Redis answers"}
