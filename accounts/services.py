"""Writes for sign-in security: MFA enrolment and verification, passkeys, password change, invitations.

Each service owns its transaction and records what it changed in the audit trail."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts.models import Invitation, User
from accounts.selectors import invitation_token_hash
from reviews.archived import review_ensure_open
from reviews.audit import audit_record
from reviews.models import Agency, Partnership, Review, ReviewMembership
from reviews.notifications import notify_address
from reviews.services import membership_add

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def mfa_totp_start(*, user: User) -> TOTPDevice:
    """The authenticator being set up: one unconfirmed device, kept across page loads so
    the QR code does not change while the person scans it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def _recovery_codes_issue(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def mfa_totp_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows. Returns new recovery codes (shown
    once), or None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not device.verify_token(code):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = _recovery_codes_issue(user)
    audit_record(actor=user, action="mfa.enrolled", obj=user, detail={"recovery_codes": len(codes)})
    return codes


@transaction.atomic
def mfa_recovery_codes_replace(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _recovery_codes_issue(user)
    audit_record(actor=user, action="mfa.recovery_codes_replaced", obj=user)
    return codes


def _normalised(code: str) -> str:
    return "".join(code.split()).lower()


def _device_model_for(code: str) -> type[TOTPDevice] | type[StaticDevice]:
    """Six digits are an authenticator code, anything else a recovery code: each kind goes to its
    own device only, so a mistyped recovery code does not slow down the authenticator."""
    return TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice


@transaction.atomic
def mfa_verify(*, user: User, code: str) -> Device | None:
    """The device that accepts ``code``: the authenticator, or an unused recovery code (which is
    then spent). Each device slows down repeated failures (django-otp throttling)."""
    code = _normalised(code)
    model = _device_model_for(code)
    for device in model.objects.devices_for_user(user, confirmed=True).select_for_update():
        if device.verify_token(code):
            if model is StaticDevice:
                audit_record(
                    actor=user,
                    action="mfa.recovery_code_used",
                    obj=user,
                    detail={"remaining": device.token_set.count()},
                )
            return device
    return None


def mfa_locked_until(*, user: User, code: str) -> datetime.datetime | None:
    """Until when the device this code is for refuses codes after repeated wrong ones, if it
    does now (django-otp's throttling doubles the wait with each failure)."""
    for device in _device_model_for(_normalised(code)).objects.devices_for_user(user, confirmed=True):
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            return details["locked_until"]
    return None


def _invitation_email(invitation: Invitation, token: str) -> None:
    """Queued in the outbox with the invitation; the link (a one-time secret) is erased once sent.
    A family reader's email names no review or person: it may be read by someone else."""
    link = f"{settings.SITE_URL}{reverse('invitation_accept', args=[token])}"
    inviter = invitation.invited_by.display_name if invitation.invited_by else "A board administrator"
    if invitation.purpose == Invitation.Purpose.FAMILY_READER:
        why = f"{inviter} has invited you to read a draft report in casereview, for {invitation.partnership.name}."
    else:
        why = f"{inviter} has invited you to casereview for {invitation.partnership.name}."
    notify_address(
        email=invitation.email,
        subject="you are invited to create an account",
        secret=True,
        body=(
            f"{why}\n\n"
            f"Create your account here (the link works once, until "
            f"{timezone.localtime(invitation.expires_at):%d %B %Y %H:%M}):\n{link}\n\n"
            "If you did not expect this, ignore this email.\n"
        ),
    )


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    partnership: Partnership,
    email: str,
    review: Review | None = None,
    role: str = "",
    agency: Agency | None = None,
    purpose: str = Invitation.Purpose.ACCOUNT,
    expires_at: datetime.datetime | None = None,
) -> Invitation:
    """Invite ``email`` to create an account. The token exists only in the email: it is
    sent after commit, from this process, because only its hash is stored. The link works for
    ``INVITATION_VALID_DAYS``, or until ``expires_at`` when that is sooner (a family reader's
    access ending earlier)."""
    if role and role not in ReviewMembership.Role.values:
        raise ValidationError({"role": f'"{role}" is not a review role.'})
    if review is not None:
        review_ensure_open(review.pk)
    token = secrets.token_urlsafe(32)
    valid_until = timezone.now() + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation = Invitation.objects.create(
        email=email.strip().lower(),
        purpose=purpose,
        partnership=partnership,
        review=review,
        role=role,
        agency=agency,
        token_hash=invitation_token_hash(token),
        invited_by=actor,
        expires_at=min(valid_until, expires_at) if expires_at else valid_until,
    )
    audit_record(
        actor=actor,
        action="invitation.sent",
        obj=invitation,
        review=review,
        partnership=partnership,
        detail={"email": invitation.email, **({"role": role} if role else {})},
    )
    _invitation_email(invitation, token)
    return invitation


def invitation_problem(invitation: Invitation | None) -> str:
    """Why an invitation link cannot be used, in words for the person holding it; '' if it can."""
    if invitation is None:
        return "This invitation link is not valid. Check that you copied the whole link from the email."
    who = "the review's chair" if invitation.purpose == Invitation.Purpose.FAMILY_READER else "your board administrator"
    if invitation.withdrawn_at is not None:
        return f"This invitation was withdrawn. Ask {who} if you still need an account."
    if invitation.accepted_at is not None:
        return "This invitation has already been used to create an account. Sign in instead."
    if invitation.expires_at <= timezone.now():
        return (
            f"This invitation expired on {timezone.localtime(invitation.expires_at):%d %B %Y}. "
            f"Ask {who} to invite you again."
        )
    return ""


@transaction.atomic
def invitation_accept(*, invitation: Invitation, username: str, first_name: str, last_name: str, password: str) -> User:
    """Create the invited account (and grant the review role the invitation carries)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"The username {username} is taken: choose another."})
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(f"An account already uses {invitation.email}. Sign in instead.")
    user = User(username=username, first_name=first_name, last_name=last_name, email=invitation.email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    user.set_password(password)
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    # A review archived since the invitation was sent takes no new members: the account is
    # made without the role.
    grant = bool(invitation.review is not None and invitation.role and invitation.review.archived_at is None)
    audit_record(
        actor=user,
        action="invitation.accepted",
        obj=invitation,
        review=invitation.review,
        detail={} if grant or not invitation.role else {"role_not_granted": "the review is archived"},
    )
    if grant:
        assert invitation.review is not None  # a grant is for a review
        membership_add(
            actor=invitation.invited_by,
            review=invitation.review,
            user=user,
            role=invitation.role,
            agency=invitation.agency,
            notify=False,
        )
    return user


@transaction.atomic
def invitation_withdraw(*, actor: User, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation: its link then says it was withdrawn, and nothing else."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(
            f"The invitation for {invitation.email} was accepted on "
            f"{timezone.localtime(invitation.accepted_at):%d %B %Y}: there is nothing to withdraw."
        )
    if invitation.withdrawn_at is not None:
        raise ValidationError(f"The invitation for {invitation.email} was withdrawn already.")
    invitation.withdrawn_at = timezone.now()
    invitation.withdrawn_by = actor
    invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(
        actor=actor,
        action="invitation.withdrawn",
        obj=invitation,
        review=invitation.review,
        partnership=invitation.partnership,
        detail={"email": invitation.email},
    )
    return invitation


@transaction.atomic
def password_change(*, user: User, password: str) -> None:
    """Set the signed-in person's new password (already checked against the current one and the
    password rules). Every other session of theirs ends: Django checks each session against a
    hash of the password."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="password.changed", obj=user)


@transaction.atomic
def passkey_added(*, user: User, credential_pk: int) -> WebAuthnCredential:
    """Name a passkey just registered, and record it."""
    credential = WebAuthnCredential.objects.select_for_update().get(pk=credential_pk, user=user)
    if not credential.name:
        credential.name = f"Passkey added {timezone.localtime(credential.created_at):%-d %B %Y at %H:%M}"
        credential.save(update_fields=["name"])
    audit_record(actor=user, action="mfa.passkey_added", obj=user, detail={"passkey": credential.name})
    return credential


def passkey_used(*, user: User, credential_pk: int) -> None:
    """Record a sign-in's second factor passed with a passkey."""
    audit_record(actor=user, action="mfa.passkey_used", obj=user, detail={"passkey_id": credential_pk})


@transaction.atomic
def passkey_remove(*, actor: User, credential: WebAuthnCredential) -> None:
    """Remove one of the person's passkeys: it no longer passes the second factor."""
    name = credential.name
    credential.delete()
    audit_record(actor=actor, action="mfa.passkey_removed", obj=actor, detail={"passkey": name})


@transaction.atomic
def review_member_add_or_invite(
    *, actor: User, review: Review, email: str, role: str, agency: Agency | None = None
) -> None:
    """Give ``email`` a role in the review: at once when an account uses that address, else by
    invitation (the role is granted when the account is made). The caller says the same
    thing either way, so the form cannot be used to learn who has an account."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is not None:
        membership_add(actor=actor, review=review, user=user, role=role, agency=agency)
        return
    if role in ReviewMembership.AGENCY_ROLES and agency is None:
        raise ValidationError({"agency": "IMR authors and action owners act for an agency: choose one."})
    if agency is not None and (
        role not in ReviewMembership.AGENCY_ROLES or agency.partnership_id != review.partnership_id
    ):
        raise ValidationError({"agency": "Only IMR authors and action owners act for an agency of this partnership."})
    invitation_create(actor=actor, partnership=review.partnership, email=email, review=review, role=role, agency=agency)
