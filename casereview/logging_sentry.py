"""Error reports to Sentry (only when SENTRY_DSN is set), without personal data.

The SDK is told not to send personal data (``send_default_pii=False``), request bodies or local
variables; ``scrub_event`` then takes out of every event what could still name someone: the
request's body, cookies, query string and identifying headers, and the user's email, name and
address, and the values in breadcrumbs (their id alone stays, to count how many people an error touched).
"""

from __future__ import annotations

from typing import Any

USER_KEPT = ("id",)
HEADERS_DROPPED = {"cookie", "authorization", "x-csrftoken", "x-forwarded-for", "x-real-ip"}


def scrub_event(event: dict[str, Any], hint: dict[str, Any] | None = None) -> dict[str, Any]:
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() not in HEADERS_DROPPED}
    # Breadcrumbs keep what happened, not its values (an SQL query's parameters, a log record's arguments).
    breadcrumbs = event.get("breadcrumbs")
    values = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    for crumb in values if isinstance(values, list) else []:
        if isinstance(crumb, dict):
            crumb.pop("data", None)
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {key: user[key] for key in USER_KEPT if key in user}
    return event


def sentry_start(dsn: str, *, environment: str, release: str = "") -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=scrub_event,  # type: ignore[arg-type]
        traces_sample_rate=0,
    )
