"""The signed-in person's own sign-in security (password, passkeys), and a forgotten password
reset by email.

Passkeys are django-otp-webauthn's: its ceremony views answer the browser's requests (its script,
served from /static/, calls them), wrapped here so that each is for a signed-in person, is
recorded, and starts a new session key once the second factor is passed."""

from __future__ import annotations

import json

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp_webauthn import views as webauthn

from accounts import password_services, permissions, selectors, services
from accounts.forms import ChangePasswordForm, NewPasswordForm, PasswordResetRequestForm
from accounts.http import AuthenticatedHttpRequest
from reviews.forms import form_add_service_errors

# Enough for a phone, a laptop and a security key or two.
PASSKEY_LIMIT = 10

_register_begin = webauthn.BeginCredentialRegistrationView.as_view()
_register_complete = webauthn.CompleteCredentialRegistrationView.as_view()
_auth_begin = webauthn.BeginCredentialAuthenticationView.as_view()
_auth_complete = webauthn.CompleteCredentialAuthenticationView.as_view()


def passkey_config(request: HttpRequest) -> dict[str, str]:
    """What django-otp-webauthn's script reads from the page (a JSON data block, which the
    Content-Security-Policy allows: it is not run)."""
    return {
        "csrfToken": get_token(request),
        "nextFieldSelector": "input[name='next']",
        "beginRegistrationUrl": reverse("passkey_register_begin"),
        "completeRegistrationUrl": reverse("passkey_register_complete"),
        "beginAuthenticationUrl": reverse("passkey_auth_begin"),
        "completeAuthenticationUrl": reverse("passkey_auth_complete"),
    }


def passkeys_work_here(request: HttpRequest) -> bool:
    """Whether this page's address is the one passkeys are bound to (settings.OTP_WEBAUTHN_RP_ID):
    elsewhere (127.0.0.1 in development) the browser refuses to make or use one."""
    host = request.get_host().rsplit(":", 1)[0]
    rp_id = settings.OTP_WEBAUTHN_RP_ID
    return host == rp_id or host.endswith(f".{rp_id}")


@login_required
def account_security(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "passkeys": selectors.passkeys_for_user(request.user),
        "passkey_limit": PASSKEY_LIMIT,
        "passkey_config": passkey_config(request) if passkeys_work_here(request) else None,
        "passkey_origin": settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0],
        "has_authenticator": user_has_device(request.user),
    }
    return render(request, "accounts/account_security.html", context)


@login_required
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=request.user, password=form.cleaned_data["new_password1"])
        # This session goes on (with its second factor passed); every other one has ended.
        update_session_auth_hash(request, request.user)
        messages.success(request, "Your password is changed. You have been signed out everywhere else.")
        return redirect("account_security")
    return render(request, "accounts/password_change.html", {"form": form})


def _client_ip(request: HttpRequest) -> str:
    """The client's address as the sign-in lockout reads it (behind the TLS proxy too)."""
    return get_client_ip_address(request) or "unknown"


@never_cache
def password_reset_request(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link. Whether the address has an account or not, the answer is the same."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email, ip = form.cleaned_data["email"], _client_ip(request)
        if password_services.password_reset_allowed(email=email, ip=ip):
            password_services.password_reset_request(email=email, ip=ip)
            messages.success(
                request,
                f"If a casereview account uses {email}, we have emailed it a link to set a new password. "
                "Check your inbox (and junk folder); the link works once.",
            )
            return redirect("password_reset")
        password_services.password_reset_refused(email=email, ip=ip)
        form.add_error(
            "email",
            "Too many reset requests for this address or from your network. Wait an hour and try again, "
            "or ask your board administrator.",
        )
        return render(request, "accounts/password_reset_request.html", {"form": form}, status=429)
    return render(request, "accounts/password_reset_request.html", {"form": form})


@never_cache
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user, problem = password_services.password_reset_link_check(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "accounts/password_reset_problem.html", {"problem": problem}, status=400)
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_services.password_reset_complete(
                user=user, token=token, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request, "Your new password is set. Sign in with it, then with your authenticator app or passkey."
            )
            return redirect(settings.LOGIN_URL)
    return render(request, "accounts/password_reset_confirm.html", {"form": form})


def _json_error(detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=400)


@require_POST
@login_required
def passkey_register_begin(request: AuthenticatedHttpRequest) -> HttpResponse:
    if selectors.passkey_count(request.user) >= PASSKEY_LIMIT:
        return _json_error(f"You have {PASSKEY_LIMIT} passkeys already: remove one you no longer use first.")
    return _register_begin(request)


@require_POST
@login_required
def passkey_register_complete(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = _register_complete(request)
    if response.status_code == 200:
        services.passkey_added(user=request.user, credential_pk=json.loads(response.content)["id"])
        messages.success(request, "Passkey added: you can use it at the second step of signing in.")
    return response


@require_POST
@login_required
def passkey_auth_begin(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.passkey_count(request.user):
        return _json_error("You have no passkey yet: enter the code from your authenticator app.")
    return _auth_begin(request)


@require_POST
@login_required
def passkey_auth_complete(request: AuthenticatedHttpRequest) -> HttpResponse:
    response = _auth_complete(request)
    if response.status_code == 200:
        # A new session key once the second factor is passed, as with a code.
        request.session.cycle_key()
        services.passkey_used(user=request.user, credential_pk=json.loads(response.content)["id"])
    return response


@require_POST
@login_required
def passkey_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    credential = permissions.passkey_get_for_user(request.user, pk)
    used_for_this_session = getattr(request.user, "otp_device", None) == credential
    services.passkey_remove(actor=request.user, credential=credential)
    authenticator = selectors.authenticator_for_user(request.user)
    if used_for_this_session and authenticator is not None:
        # This session passed the second factor with the passkey; it stays passed, now on the
        # authenticator app, rather than asking for a code in the middle of the security page.
        otp_login(request, authenticator)
    messages.success(request, f"Removed the {credential.name.lower()}: it no longer signs you in.")
    return redirect("account_security")
