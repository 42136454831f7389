from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_vary_headers
from django_otp import user_has_device

from accounts.session_selectors import session_idle_phrase

# What a signed-in person who has not passed the second factor may still reach.
MFA_EXEMPT_URL_NAMES = frozenset(
    {"mfa_verify", "mfa_enrol", "logout", "accessibility", "passkey_auth_begin", "passkey_auth_complete"}
)

# No inline script or style attribute is allowed in; pages load their scripts and styles
# from /static/ only, and may not be framed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)


def session_leave_untouched(request: HttpRequest) -> None:
    """This request only reads the session: it must not extend it (see IdleSessionMiddleware)."""
    request.session_untouched = True  # type: ignore[attr-defined]


class IdleSessionMiddleware(SessionMiddleware):
    """Django's session middleware, except for a request that only asks how long the session has
    left (``request.session_untouched``): answering must not keep the session alive, or an idle
    tab asking would keep it alive for ever."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(request, "session_untouched", False):
            patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)


def _wants_text_answer(request: HttpRequest) -> bool:
    """A request made by script (htmx, or fetch asking for JSON) rather than by loading a page."""
    return request.headers.get("HX-Request") == "true" or "application/json" in request.headers.get("Accept", "")


def signed_out_response() -> HttpResponse:
    message = (
        f"You have been signed out after {session_idle_phrase()} without activity. "
        "What you typed has not been saved: copy it, sign in again in a new tab, then come back here and save it."
    )
    return HttpResponse(message, status=401, content_type="text/plain; charset=utf-8")


class SignedOutScriptRequestMiddleware:
    """When a session has ended, a request is redirected to sign in. A page made by script (htmx
    swapping a table row, fetch saving a draft) would follow that redirect and put the sign-in page
    inside the chronology table, or reload the page and lose what was typed. Such a request is
    answered 401 with a short message to show instead; the page stays as it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            _wants_text_answer(request)
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            return signed_out_response()
        return response


class MfaRequiredMiddleware:
    """A password alone opens nothing: until the session has passed the second factor
    (django-otp's ``user.is_verified()``), a signed-in user is sent to enter a code, or to
    set up an authenticator if they have none."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified() and not _mfa_exempt(request):
            target = reverse("mfa_verify" if user_has_device(user) else "mfa_enrol")
            url = f"{target}?{urlencode({'next': request.get_full_path()})}"
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return HttpResponseRedirect(url)
        return self.get_response(request)


def _mfa_exempt(request: HttpRequest) -> bool:
    try:
        return resolve(request.path_info).url_name in MFA_EXEMPT_URL_NAMES
    except Resolver404:
        return False


class ContentSecurityPolicyMiddleware:
    """Sets the Content-Security-Policy header on every response that does not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
