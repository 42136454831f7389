"""Logs are JSON lines carrying the request's id; the id is accepted from X-Request-ID when well
formed, echoed, and follows the request into the Celery tasks it queues; Sentry events lose
every piece of personal data before they are sent."""

import io
import json
import logging
import threading
import uuid

import pytest
from celery import Celery, _state
from celery.contrib.testing.worker import start_worker
from django.test import Client

from casereview import request_id
from casereview.logging_json import JsonFormatter
from casereview.logging_sentry import scrub_event


def _json_handler() -> tuple[logging.Handler, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(request_id.RequestIdLogFilter())
    return handler, stream


def test_a_log_record_is_one_json_object_on_one_line():
    handler, stream = _json_handler()
    logger = logging.getLogger("casereview.test_operations")
    logger.addHandler(handler)
    try:
        logger.warning('two\nlines and a "quote"')
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert set(entry) == {"time", "level", "logger", "message", "request_id"}
    assert entry["level"] == "WARNING" and entry["logger"] == "casereview.test_operations"
    assert entry["message"] == 'two\nlines and a "quote"' and entry["request_id"] == ""


def test_a_well_formed_request_id_is_kept_and_echoed(client: Client):
    response = client.get("/health/live", HTTP_X_REQUEST_ID="proxy-1234abcd")
    assert response["X-Request-ID"] == "proxy-1234abcd"


@pytest.mark.parametrize("sent", [None, "short", "x" * 65, "bad id with spaces", 'ab"cdefgh\n{"level"'])
def test_a_missing_or_malformed_request_id_is_replaced(client: Client, sent):
    headers = {"HTTP_X_REQUEST_ID": sent} if sent is not None else {}
    response = client.get("/health/live", **headers)
    assert response["X-Request-ID"] != sent
    assert request_id.WELL_FORMED.fullmatch(response["X-Request-ID"])


def test_log_lines_written_during_a_request_carry_its_id(client: Client, settings):
    handler, stream = _json_handler()
    logger = logging.getLogger("casereview.request")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client.get("/health/live", HTTP_X_REQUEST_ID="trace-5678efgh")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    entry = json.loads(stream.getvalue().splitlines()[-1])
    assert entry["request_id"] == "trace-5678efgh"
    assert entry["message"].startswith("GET /health/live 200 ")


@pytest.fixture
def probe_app():
    """A Celery app of its own on the in-memory broker, run by a worker in a thread."""
    app = Celery("probe", broker="memory://localhost/", backend="cache+memory://")
    app.conf.task_always_eager = False
    app.conf.worker_hijack_root_logger = False  # the logging configuration stays Django's
    seen: list[str] = []
    done = threading.Event()

    @app.task(name=f"probe.record_request_id_{uuid.uuid4().hex}")
    def record_request_id() -> None:
        seen.append(request_id.current())
        done.set()

    current, default = _state.get_current_app(), _state.default_app
    yield app, record_request_id, seen, done
    # The test worker makes its app the current one: shared tasks must find casereview's again.
    current.set_current()
    _state.set_default_app(default)
    # (Celery's Django fix-up may run Django's logging configuration again: the same handlers.)
    ours = [h for h in logging.getLogger().handlers if not type(h).__module__.startswith("_pytest")]
    assert [type(h.formatter) for h in ours] in ([JsonFormatter], [logging.Formatter])
    assert _state.get_current_app() is current


@pytest.mark.slow  # a worker started and stopped in a thread: seconds, most of it waiting to stop
def test_a_task_queued_in_a_request_runs_with_its_request_id(probe_app):
    app, task, seen, done = probe_app
    token = request_id._current.set("req-queued-4242")
    try:
        task.delay()
    finally:
        request_id._current.reset(token)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert done.wait(20), "the worker did not run the task"
    assert seen == ["req-queued-4242"]
    assert request_id.current() == ""


@pytest.mark.slow  # a worker started and stopped in a thread: seconds, most of it waiting to stop
def test_a_task_queued_outside_a_request_runs_without_one(probe_app):
    app, task, seen, done = probe_app
    task.delay()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert done.wait(20), "the worker did not run the task"
    assert seen == [""]


def test_sentry_events_lose_request_bodies_cookies_and_who_the_user_is():
    event = {
        "message": "boom",
        "request": {
            "url": "https://casereview.example.org/reviews/3/",
            "method": "POST",
            "data": {"narrative": "Jane Doe was seen"},
            "cookies": {"sessionid": "s3cret"},
            "query_string": "q=Jane+Doe",
            "headers": {"Cookie": "sessionid=s3cret", "User-Agent": "Firefox", "X-Forwarded-For": "203.0.113.9"},
            "env": {"REMOTE_ADDR": "203.0.113.9"},
        },
        "user": {
            "id": 42,
            "email": "jane@example.org",
            "username": "jdoe",
            "name": "Jane Doe",
            "ip_address": "1.2.3.4",
        },
        "breadcrumbs": {"values": [{"category": "query", "message": "SELECT ...", "data": {"params": ["Jane"]}}]},
    }
    scrubbed = scrub_event(event, {})
    text = json.dumps(scrubbed)
    for secret in ("Jane", "s3cret", "jane@example.org", "jdoe", "203.0.113.9", "1.2.3.4"):
        assert secret not in text, secret
    assert scrubbed["user"] == {"id": 42}
    assert scrubbed["request"]["headers"] == {"User-Agent": "Firefox"}
    assert scrubbed["request"]["url"] == "https://casereview.example.org/reviews/3/"
    assert scrubbed["breadcrumbs"]["values"][0]["message"] == "SELECT ..."


def test_sentry_is_started_with_personal_data_off(monkeypatch):
    import sentry_sdk

    captured = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: captured.update(options))
    from casereview.logging_sentry import sentry_start

    sentry_start("https://key@sentry.example.org/1", environment="test")
    assert captured["send_default_pii"] is False
    assert captured["before_send"] is scrub_event
    assert captured["max_request_body_size"] == "never" and captured["include_local_variables"] is False
