"""Liveness and readiness, answered before the rest of the middleware.

``/health/live``: the process answers (no database, no broker): restart it if not.
``/health/ready``: the database, the broker, the file storage and the workers each answer; 503
and the name of each that does not. The answer names checks and says "ok" or why not in a few
fixed words: never an address, a password, an exception's text or anything about a case.
No session is read or written, no sign-in is asked for, and a readiness answer is reused for
HEALTH_CACHE_SECONDS, so a probe polled often costs a query or two a few times a minute.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connections
from django.http import HttpRequest, HttpResponse

from casereview.celery import app as celery_app

LIVE_PATH = "/health/live"
READY_PATH = "/health/ready"

Check = dict[str, Any]

_cache_lock = threading.Lock()
_cached: tuple[float, int, dict[str, Any]] | None = None


def _failing(reason: str) -> Check:
    return {"ok": False, "detail": reason}


def check_database() -> Check:
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as exc:  # noqa: BLE001 - any error is "not ready"; only its kind is shown
            connections[alias].close()
            return _failing(f"{alias}: cannot query ({type(exc).__name__})")
    return {"ok": True, "detail": "answers"}


def check_broker() -> Check:
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return {"ok": True, "detail": "in-process (no REDIS_URL): tasks run in the web process"}
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # noqa: BLE001 - as above
        return _failing(f"Redis does not answer ({type(exc).__name__})")
    return {"ok": True, "detail": "Redis answers"}


def check_storage() -> Check:
    name = f"health/{uuid.uuid4().hex}.txt"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        default_storage.delete(saved)
    except Exception as exc:  # noqa: BLE001 - as above
        return _failing(f"cannot write a file ({type(exc).__name__})")
    return {"ok": True, "detail": "writable"}


def check_workers(broker: Check) -> Check:
    if celery_app.conf.task_always_eager:
        return {"ok": True, "detail": "in-process (no broker): no workers to ask"}
    if not broker["ok"]:
        return _failing("not asked: the broker does not answer")
    try:
        # limit=1: the first answer ends the wait; only silence waits the whole timeout.
        replies = celery_app.control.ping(timeout=settings.HEALTH_WORKER_PING_TIMEOUT, limit=1)
    except Exception as exc:  # noqa: BLE001 - as above
        return _failing(f"cannot ask ({type(exc).__name__})")
    if not replies:
        return _failing(f"no worker answered within {settings.HEALTH_WORKER_PING_TIMEOUT:g} s")
    return {"ok": True, "detail": "a worker answered"}


def readiness() -> tuple[int, dict[str, Any]]:
    broker = check_broker()
    checks = {
        "database": check_database(),
        "broker": broker,
        "storage": check_storage(),
        "workers": check_workers(broker),
    }
    failing = [name for name, check in checks.items() if not check["ok"]]
    body = {"status": "failing" if failing else "ok", "failing": failing, "checks": checks}
    return (503 if failing else 200), body


def readiness_cached() -> tuple[int, dict[str, Any]]:
    global _cached
    with _cache_lock:
        now = time.monotonic()
        if _cached is None or now - _cached[0] >= settings.HEALTH_CACHE_SECONDS:
            status, body = readiness()
            _cached = (now, status, body)
        return _cached[1], _cached[2]


def _json(status: int, body: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # The answer is the report: Django does not log each failing probe again as an error.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def live(request: HttpRequest) -> HttpResponse:
    return _json(200, {"status": "ok"})


def ready(request: HttpRequest) -> HttpResponse:
    return _json(*readiness_cached())


class HealthCheckMiddleware:
    """Answers GET/HEAD of the two paths itself, before the host check, HTTPS redirect and session."""

    ROUTES: dict[str, Callable[[HttpRequest], HttpResponse]] = {LIVE_PATH: live, READY_PATH: ready}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = self.ROUTES.get(request.path_info.rstrip("/"))
        if view is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return _json(405, {"status": "method not allowed"})
        return view(request)
