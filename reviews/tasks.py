"""Background work for reviews. Tasks take ids, load the row and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from reviews.models import ReviewMembership

logger = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def membership_notify(self, membership_id: int) -> bool:
    """Email a new member that they hold a role in a review. Returns whether it sent.

    The row is claimed with a conditional UPDATE so two runs send one email; if sending
    fails the claim is released and the task retries."""
    claimed = ReviewMembership.objects.filter(pk=membership_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if not claimed:
        return False
    membership = ReviewMembership.objects.select_related("review", "user", "agency").get(pk=membership_id)
    review = membership.review
    role = membership.get_role_display()
    if membership.agency_id:
        role = f"{role} for {membership.agency.name}"
    # The email names the review by reference only: case details stay behind sign-in.
    body = (
        f"Dear {membership.user.display_name},\n\n"
        f"You have been added to review {review.reference} as {role}.\n\n"
        f"Sign in to see it: {settings.SITE_URL}{reverse('reviews:detail', args=[review.pk])}\n"
    )
    try:
        send_mail(
            subject=f"casereview: you have been added to {review.reference}",
            message=body,
            from_email=None,
            recipient_list=[membership.user.email],
        )
    except OSError:
        with transaction.atomic():
            ReviewMembership.objects.filter(pk=membership_id).update(notified_at=None)
        logger.warning("Sending the membership email for %s failed; will retry", membership_id)
        raise
    return True


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_send(self, notification_id: int) -> bool:
    """Send one queued email. Claimed with a conditional UPDATE, so a second run sends nothing;
    a failed send releases the claim and retries."""
    from reviews.models import Notification

    claimed = Notification.objects.filter(pk=notification_id, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        send_mail(
            subject=f"casereview: {notification.subject}",
            message=f"Dear {notification.recipient.display_name},\n\n{notification.body}",
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
    except OSError:
        Notification.objects.filter(pk=notification_id).update(sent_at=None)
        logger.warning("Sending notification %s failed; will retry", notification_id)
        raise
    return True


@shared_task
def reviews_purge_due() -> list[str]:
    """The daily retention sweep: archived reviews past their retention date are purged."""
    from reviews.retention import reviews_purge_due as purge

    return purge()
