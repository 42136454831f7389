"""Writes to the signed-in person's own session."""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase


def session_keep_alive(*, session: SessionBase) -> int:
    """Keep the session alive for another idle period; the seconds it now has left."""
    # Saved at the end of the request with a new expiry, even if the settings stop saving on every request.
    session.modified = True
    return session.get_expiry_age()
