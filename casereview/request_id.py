"""Every request has an id: the X-Request-ID the proxy sent, if it is well formed, or a new one.

The id is echoed in the response's X-Request-ID header, written in every log line while the
request is answered (RequestIdLogFilter), and carried in the headers of each Celery task the
request queues, so the worker's log lines for that task carry it too.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
TASK_HEADER = "casereview_request_id"
# Letters, digits and - _ . : at most 64, at least 8: a UUID, a proxy's hex id, nothing that could
# forge a log line or carry a message.
WELL_FORMED = re.compile(r"[A-Za-z0-9._:-]{8,64}")

_current: ContextVar[str] = ContextVar("casereview_request_id", default="")
_task_tokens: dict[str, Token[str]] = {}
request_logger = logging.getLogger("casereview.request")


def current() -> str:
    """The id of the request (or the task it queued) being handled here; "" outside both."""
    return _current.get()


def accepted_or_new(value: str | None) -> str:
    if value and WELL_FORMED.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Cleared when the response is finished (below), so that Django's own line about an
        # error response, written after the middleware, still carries the id.
        request_id = accepted_or_new(request.headers.get(HEADER))
        _current.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response[HEADER] = request_id
        # The path only: a query string may hold the text someone searched for (a name).
        request_logger.info(
            "%s %s %s %dms", request.method, request.path, response.status_code, (time.monotonic() - started) * 1000
        )
        return response


@receiver(request_finished)
def _request_id_cleared(**_: Any) -> None:
    _current.set("")


class RequestIdLogFilter(logging.Filter):
    """Puts ``request_id`` on every record (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True


@before_task_publish.connect
def _task_carries_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = _current.get()
    if request_id and headers is not None:
        headers[TASK_HEADER] = request_id


@task_prerun.connect
def _task_takes_request_id(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    request_id = getattr(getattr(task, "request", None), TASK_HEADER, None)
    if task_id and isinstance(request_id, str) and WELL_FORMED.fullmatch(request_id):
        _task_tokens[task_id] = _current.set(request_id)


@task_postrun.connect
def _task_drops_request_id(task_id: str | None = None, **_: Any) -> None:
    token = _task_tokens.pop(task_id or "", None)
    if token is not None:
        _current.reset(token)
