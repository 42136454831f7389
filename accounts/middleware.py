from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse
from django_otp import user_has_device

# What a signed-in person who has not passed the second factor may still reach.
MFA_EXEMPT_URL_NAMES = frozenset({"mfa_verify", "mfa_enrol", "logout", "accessibility"})

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


class HtmxLoginRedirectMiddleware:
    """When a session has expired, an htmx request is redirected to sign in like any other;
    htmx would follow that redirect and put the sign-in page inside the chronology table.
    Tell htmx to load the sign-in page as a whole page instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = response["Location"]
            return redirect
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
