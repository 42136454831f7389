"""The request a signed-in user makes, as the type checker sees it."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is signed in, never anonymous."""

    user: User
