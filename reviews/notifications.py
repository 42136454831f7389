"""Emails, through one outbox: ``notify`` writes a Notification row inside the change's
transaction; its task (on the email queue) is sent once the change commits; the row is marked
sent only after the mail server has taken the message. The sweeper (casereview.job_sweep.jobs_sweep via
``notifications_sweep``) sends again whatever was never handed to the broker, whose send failed,
or whose worker died mid-send. At least once: a worker killed after the server took the message
and before the row was marked may send it twice, never zero times."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from casereview import jobs
from reviews.models import Notification, Review

logger = logging.getLogger(__name__)

# A claim this old was lost with its worker (longer than any send: EMAIL_TIMEOUT bounds one).
SEND_LEASE = timedelta(minutes=5)
# A notification handed to the broker this long ago and not yet sent is handed over again: the
# outbox rule every job follows (casereview.jobs).
RESEND_AFTER = jobs.RESEND_AFTER
TASK = "reviews.tasks.notification_send"
# A send that fails waits before the next try, twice as long each time up to RETRY_PAUSE_MAX;
# after MAX_SEND_ATTEMPTS failures (about two days) the email is given up, its last error kept
# on the row and logged as an error for the administrator.
RETRY_PAUSE = timedelta(minutes=1)
RETRY_PAUSE_MAX = timedelta(hours=6)
MAX_SEND_ATTEMPTS = 15


def retry_pause(failures: int) -> timedelta:
    return min(RETRY_PAUSE * 2 ** max(failures - 1, 0), RETRY_PAUSE_MAX)


def email_subject(text: str) -> str:
    """A subject line: one line whatever the text held (a line break is refused by mail headers)."""
    return " ".join(text.split())[:200]


def notify(*, recipients: Iterable[User], review: Review | None, subject: str, body: str, link: str = "") -> None:
    """Queue one email per recipient (each at most once) for after the transaction commits."""
    if link:
        body = f"{body}\n\n{settings.SITE_URL}{link}\n"
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen or not user.is_active or not user.email:
            continue
        seen.add(user.pk)
        _queue(Notification(recipient=user, review=review, subject=email_subject(subject), body=body))


def notify_address(*, email: str, subject: str, body: str, secret: bool = False) -> None:
    """Queue one email to an address with no account yet (an invitation). A ``secret`` body (a
    one-time link) is erased from the row once sent."""
    _queue(Notification(email=email, subject=email_subject(subject), body=body, erase_body_when_sent=secret))


def _queue(notification: Notification) -> None:
    notification.save()
    pk = notification.pk
    transaction.on_commit(lambda: notification_dispatch(pk), robust=True)


def notification_dispatch(pk: int) -> bool:
    """Hand the notification's task to the broker; a broker that is down leaves it for the sweeper."""
    sent_at = timezone.now()
    if not Notification.objects.filter(pk=pk, sent_at__isnull=True).update(dispatched_at=sent_at):
        return False
    if jobs.task_send(TASK, pk):
        return True
    Notification.objects.filter(pk=pk, dispatched_at=sent_at).update(dispatched_at=None)
    return False


def notification_send(pk: int) -> bool:
    """Send one notification (the task's work). Returns whether this call sent it. Claimed with a
    conditional UPDATE, so two deliveries send once; marked sent only after the mail server took
    it; a failed send releases the claim and raises, for the task to try again."""
    now = timezone.now()
    claimable = (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - SEND_LEASE)) & _due(now)
    if not Notification.objects.filter(claimable, pk=pk, sent_at__isnull=True).update(claimed_at=now):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=pk)
    to = notification.recipient.email if notification.recipient else notification.email
    greeting = f"Dear {notification.recipient.display_name},\n\n" if notification.recipient else ""
    try:
        send_mail(
            subject=f"casereview: {notification.subject}",
            message=f"{greeting}{notification.body}",
            from_email=None,
            recipient_list=[to],
        )
    except Exception as exc:
        failures = notification.failed_attempts + 1
        Notification.objects.filter(pk=pk, claimed_at=now).update(
            claimed_at=None,
            failed_attempts=failures,
            retry_after=timezone.now() + retry_pause(failures),
            last_error=f"{type(exc).__name__}: {exc}"[:300],
        )
        if failures >= MAX_SEND_ATTEMPTS:
            logger.error("Notification %s was given up after %s failed sends: %s", pk, failures, exc)
        else:
            logger.warning("Sending notification %s failed (%s); it will be tried again", pk, exc)
        raise
    erase = {"body": ""} if notification.erase_body_when_sent else {}
    # The mail server has the message: a connection lost now must not lose the mark, or the
    # task's retry finds the row still claimed and sends nothing, and the sweeper sends the email
    # a second time once the claim has lapsed. Written through a new connection if need be.
    jobs.patiently(
        lambda: Notification.objects.filter(pk=pk).update(sent_at=timezone.now(), last_error="", **erase),
        patience=jobs.FINAL_WRITE_PATIENCE,
    )
    return True


def notifications_sweep(*, now=None) -> int:
    """Hand over again every notification not yet sent: never handed to the broker, handed over
    long ago, or claimed by a worker that died. Returns how many were handed over."""
    now = now or timezone.now()
    waiting = Notification.objects.filter(_due(now), sent_at__isnull=True).filter(
        Q(dispatched_at__isnull=True, claimed_at__isnull=True)
        | Q(dispatched_at__lt=now - RESEND_AFTER, claimed_at__isnull=True)
        | Q(claimed_at__lt=now - SEND_LEASE)
    )
    oldest_first = waiting.order_by("created_at", "pk").values_list("pk", flat=True)[:500]
    return sum(notification_dispatch(pk) for pk in oldest_first)


def _due(now) -> Q:
    """Not waiting out the pause after a failed send, and not given up."""
    return (Q(retry_after__isnull=True) | Q(retry_after__lte=now)) & Q(failed_attempts__lt=MAX_SEND_ATTEMPTS)
