"""The email outbox's row (reviews.notifications writes and sends it). Registered through
reviews.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """One email, written in the same transaction as the change it reports and sent afterwards by
    a task on the email queue: the outbox. A rolled-back change sends nothing; the row is marked
    sent only once the mail server has taken it, so a worker killed mid-send, a relay that hangs
    or a broker that is down delays the email but never loses it (reviews.outbox)."""

    # To a person with an account, or (an invitation) to an address.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    email = models.EmailField(blank=True, help_text="The address, when the recipient has no account yet.")
    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # A body holding a one-time secret (an invitation link) is erased once sent.
    erase_body_when_sent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The outbox: when its task was handed to the broker (empty: not yet).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    # A worker's claim while it sends; a claim older than the send lease was lost with its worker.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    # After a failed send: not tried again before this (reviews.notifications.retry_pause).
    retry_after = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(email=""), name="notification_has_an_address"
            ),
        ]
        indexes = [
            # The sweeper's question every minute: what is not sent yet?
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="notification_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient or self.email}: {self.subject}"
