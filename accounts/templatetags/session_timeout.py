"""What the idle-timeout warning (templates/snippets/session_timeout.html) needs from the settings."""

from __future__ import annotations

from django import template
from django.conf import settings

from accounts.session_selectors import session_idle_phrase

register = template.Library()


@register.simple_tag
def session_timeout() -> dict[str, int | str]:
    """Read at each page load, so a test that shortens the timeout sees a page that counts it."""
    return {
        "idle_seconds": settings.SESSION_COOKIE_AGE,
        "idle_phrase": session_idle_phrase(),
        "warning_seconds": min(settings.SESSION_TIMEOUT_WARNING_SECONDS, settings.SESSION_COOKIE_AGE),
        "keep_alive_every_seconds": settings.SESSION_KEEP_ALIVE_EVERY_SECONDS,
    }
