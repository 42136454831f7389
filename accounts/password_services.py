"""Password reset by email: a request that says the same whoever asks, a single-use link that
expires (Django's token generator: settings.PASSWORD_RESET_TIMEOUT), and the new password set.

A reset changes the password only: signing in afterwards still needs the second factor, and
every session the person had ends (Django checks each session against a hash of the password).
Each step is recorded in the audit trail."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from accounts import selectors
from accounts.models import User
from reviews.audit import audit_record
from reviews.notifications import notify_address

UNKNOWN = "an address with no account"


def _limit_key(kind: str, value: str) -> str:
    return f"password-reset:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def password_reset_limit_keys(*, email: str, ip: str) -> list[str]:
    """The cache keys counting requests for this address and from this network address."""
    return [_limit_key("email", email.strip().lower()), _limit_key("ip", ip)]


def _count(key: str) -> int:
    window = settings.PASSWORD_RESET_LIMIT_WINDOW_SECONDS
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # ended between add and incr: a new window
        cache.set(key, 1, window)
        return 1


def password_reset_allowed(*, email: str, ip: str) -> bool:
    """Count this request against the address and the network address; False once either is
    over its limit in the window. Known and unknown addresses are counted alike."""
    email_key, ip_key = password_reset_limit_keys(email=email, ip=ip)
    by_email, by_ip = _count(email_key), _count(ip_key)
    return by_email <= settings.PASSWORD_RESET_LIMIT_PER_EMAIL and by_ip <= settings.PASSWORD_RESET_LIMIT_PER_IP


def _valid_for() -> str:
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    if minutes % 60 == 0:
        hours = minutes // 60
        return "1 hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"


def _reset_email_body(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{settings.SITE_URL}{reverse('password_reset_confirm', args=[uid, token])}"
    return (
        "Someone asked to set a new password for your casereview account.\n\n"
        f"Set a new password here (the link works once, for {_valid_for()}):\n{link}\n\n"
        "You will still sign in with your authenticator app or passkey afterwards.\n\n"
        "If you did not ask for this, ignore this email: your password has not changed.\n"
    )


NO_ACCOUNT_BODY = (
    "Someone asked to set a new password for a casereview account with this email address, but no "
    "casereview account uses it.\n\n"
    "If it was you, your account may use another address: ask your board administrator.\n\n"
    "If you did not ask for this, ignore this email.\n"
)


@transaction.atomic
def password_reset_request(*, email: str, ip: str) -> None:
    """Email the address: a reset link if an active account uses it, else a note that none does.
    Either way the same work is done (a token made, the request recorded, one email queued), and
    the caller says the same thing, so neither the page nor its timing tells who has an account.
    The limits (password_reset_allowed) keep this from being a way to send people email."""
    address = email.strip()
    user = selectors.password_reset_user(address)
    # A stand-in for an unknown address, so its request takes the same steps.
    target = user or User(username="", email=address, password=make_password(None))
    body = _reset_email_body(target)
    audit_record(
        actor=user,
        action="password_reset.requested",
        obj=target,
        object_repr=str(user) if user else UNKNOWN,
        detail={"ip": ip} if user else {"ip": ip, "email": address},
    )
    notify_address(
        email=user.email if user else address,
        subject="set a new password",
        body=body if user else NO_ACCOUNT_BODY,
        secret=True,
    )


def password_reset_refused(*, email: str, ip: str) -> None:
    """Record a request refused because too many were made."""
    audit_record(
        actor=None,
        action="password_reset.rate_limited",
        obj=User(username="", email=email.strip()),
        object_repr=email.strip()[:200],
        detail={"ip": ip},
    )


def _link_problem(token: str) -> str:
    try:
        made = base36_to_int(token.partition("-")[0])
    except ValueError:
        made = None
    generator = default_token_generator
    now = generator._num_seconds(generator._now())  # as the token generator counts
    if made is not None and now - made > settings.PASSWORD_RESET_TIMEOUT:
        return f"This link has expired: a password reset link works for {_valid_for()}. Ask for a new one."
    return (
        "This link has been used already, or is not complete: each link works once. "
        "Ask for a new one, and use the whole link from the newest email."
    )


@transaction.atomic
def password_reset_link_check(*, uidb64: str, token: str) -> tuple[User | None, str]:
    """The account a reset link is for, or why the link cannot be used (recorded when the link
    names an account)."""
    user = selectors.user_for_reset_uid(uidb64)
    if user is not None and default_token_generator.check_token(user, token):
        return user, ""
    problem = _link_problem(token)
    if user is not None:
        audit_record(actor=None, action="password_reset.link_refused", obj=user, detail={"why": problem})
    return None, problem


@transaction.atomic
def password_reset_complete(*, user: User, token: str, password: str) -> None:
    """Set the new password once: the token, checked again with the account locked, stops working
    when the password changes."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not default_token_generator.check_token(user, token):
        raise ValidationError(_link_problem(token))
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="password_reset.completed", obj=user)
