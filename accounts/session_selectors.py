"""Reads about the signed-in person's own session: how long it has left before it ends."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone


def session_seconds_left(*, session_key: str | None) -> int:
    """Seconds until the stored session ends (0 if it has ended), as the database says: another
    tab's requests may have kept it alive for longer than this page knows."""
    expire_date = Session.objects.filter(session_key=session_key).values_list("expire_date", flat=True).first()
    if expire_date is None:
        return 0
    return max(0, int((expire_date - timezone.now()).total_seconds()))


def session_idle_phrase() -> str:
    """The idle timeout in words: "30 minutes" (or seconds, when it is not whole minutes)."""
    seconds = settings.SESSION_COOKIE_AGE
    if seconds % 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
