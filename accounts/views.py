"""Sign-in's second factor, keeping a session alive, and invitations to create an account."""

from __future__ import annotations

import datetime
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from accounts import selectors, services, session_selectors, session_services
from accounts.forms import InvitationAcceptForm, InvitationForm, MfaCodeForm
from accounts.http import AuthenticatedHttpRequest
from accounts.middleware import session_leave_untouched
from accounts.security_views import passkey_config, passkeys_work_here
from reviews.forms import form_add_service_errors
from reviews.permissions import partnership_get_for_user

RECOVERY_CODES_SESSION_KEY = "mfa_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def _verified(request: HttpRequest, device) -> None:
    otp_login(request, device)
    # A new session key once the second factor is passed, as Django does at sign-in.
    request.session.cycle_key()


def _refused_message(locked_until: datetime.datetime | None) -> str:
    if locked_until is not None:
        return (
            f"Too many wrong codes: codes are refused until {timezone.localtime(locked_until):%H:%M:%S}. "
            "Wait until then and enter the code your app shows."
        )
    return "That code is not right or has been used. Enter the code your app shows now."


@login_required
def mfa_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect("mfa_enrol")
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # While wrong codes are being throttled a device refuses even the right one: the message
        # then says so, and until when.
        code = form.cleaned_data["code"]
        locked_until = services.mfa_locked_until(user=request.user, code=code)
        device = services.mfa_verify(user=request.user, code=code)
        if device is not None:
            _verified(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _refused_message(locked_until))
    context = {"form": form, "next": _next_url(request)}
    if selectors.passkey_count(request.user) and passkeys_work_here(request):
        context["passkey_config"] = passkey_config(request)
    return render(request, "accounts/mfa_verify.html", context)


@login_required
def mfa_enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    # With an authenticator already set up, the password alone must not be enough to add another.
    if user_has_device(request.user):
        return redirect("mfa_verify")
    device = services.mfa_totp_start(user=request.user)
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.mfa_totp_confirm(user=request.user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            _verified(request, device)
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect("mfa_recovery_codes")
        form.add_error("code", "That code is not right. Enter the 6-digit code your app shows now for casereview.")
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=5, title="QR code for your app"),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "accounts/mfa_enrol.html", context)


@login_required
def mfa_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Recovery codes are shown once, straight after they are made; POST makes new ones."""
    if request.method == "POST":
        request.session[RECOVERY_CODES_SESSION_KEY] = services.mfa_recovery_codes_replace(user=request.user)
        messages.success(request, "New recovery codes made: the old ones no longer work.")
        return redirect("mfa_recovery_codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes})


@login_required
def invitation_create(request: AuthenticatedHttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get_for_user(request.user, partnership_pk)
    form = InvitationForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(actor=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Invitation emailed to {invitation.email}.")
            return redirect("invitation_create", partnership_pk)
    invitations = selectors.invitations_recent(partnership)
    context = {"partnership": partnership, "form": form, "invitations": invitations, "now": timezone.now()}
    return render(request, "accounts/invitation_create.html", context)


@require_POST
@login_required
def invitation_withdraw(request: AuthenticatedHttpRequest, partnership_pk: int, pk: int) -> HttpResponse:
    partnership = partnership_get_for_user(request.user, partnership_pk)
    invitation = selectors.invitation_in_partnership(partnership, pk)
    try:
        services.invitation_withdraw(actor=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The invitation for {invitation.email} is withdrawn: its link no longer works.")
    return redirect("invitation_create", partnership_pk)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_for_token(token)
    problem = services.invitation_problem(invitation)
    if problem or request.user.is_authenticated:
        problem = problem or "You are signed in already: sign out to accept an invitation for someone else."
        return render(request, "accounts/invitation_problem.html", {"problem": problem}, status=400)
    assert invitation is not None  # invitation_problem answers for a missing one
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.invitation_accept(
                invitation=invitation,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Your account is made. Now set up your authenticator app.")
            return redirect("mfa_enrol")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def session_keep_alive(request: AuthenticatedHttpRequest) -> JsonResponse:
    """How long the session has left (GET, which does not extend it: another tab may have kept it
    alive), or keep it alive (POST, "Stay signed in" and typing in a form). Either way the page's
    CSRF token comes back too: signing in again in another tab changes it."""
    if request.method == "POST":
        seconds_left = session_services.session_keep_alive(session=request.session)
    else:
        session_leave_untouched(request)
        seconds_left = session_selectors.session_seconds_left(session_key=request.session.session_key)
    return JsonResponse({"seconds_left": seconds_left, "csrf_token": get_token(request)})


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (GOV.UK's model), open to anyone, signed in or not."""
    return render(request, "accessibility.html")
