"""What the idle-timeout warning (templates/snippets/session_timeout.html) needs from the settings."""

from __future__ import annotations

from django import template
from django.conf import settings

from accounts.session_selectors import session_idle_phrase

register = template.Library()


@register.simple_tag
def session_timeout() -> dict[str, int | str]:
    """Read at each page load, so a test that shortens the timeout sees a page that counts it."""
    idle = settings.SESSION_COOKIE_AGE
    warning = min(settings.SESSION_TIMEOUT_WARNING_SECONDS, idle)
    return {
        "idle_seconds": idle,
        "idle_phrase": session_idle_phrase(),
        "warning_seconds": warning,
        # Often enough that someone typing never sees the warning, whatever the settings say.
        "keep_alive_every_seconds": min(settings.SESSION_KEEP_ALIVE_EVERY_SECONDS, max(1, (idle - warning) // 2)),
    }
