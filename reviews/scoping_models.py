"""The scoping stage of a review: the notification that started it, what the agencies were asked
and told before the decision, and the decision whether to hold a full review (Home Office DHR
guidance's scoping review; the CSPR rapid review). Registered through reviews.models.

The dates the statutory clocks run on stay on the review (``notification_date``,
``decision_date``): the scoping record holds what the clock does not (who notified, the
circumstances, the reasons and who decided), so there is one date for each event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ScopingRecord(models.Model):
    """The notification of a case and the decision on it: one per review."""

    class Decision(models.TextChoices):
        PROCEED = "proceed", "Conduct a full review"
        NOT_PROCEEDING = "not_proceeding", "Do not conduct a full review"

    review = models.OneToOneField("reviews.Review", on_delete=models.CASCADE, related_name="scoping")
    notified_by = models.CharField(
        "notified by", max_length=200, help_text="Who made the notification, for example the police's review officer."
    )
    notifying_agency = models.ForeignKey(
        "reviews.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    circumstances = models.TextField("summary of the circumstances")
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    reasons = models.TextField("reasons for the decision", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Kept as text too, so the decision still says who after the account is removed.
    decided_by_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision__in=["proceed", "not_proceeding"]) & ~Q(reasons=""),
                name="scoping_decision_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"Scoping of {self.review}"


class ScopingInformation(models.Model):
    """What one agency was asked for before the decision, and what it said."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="scoping_information")
    agency = models.ForeignKey("reviews.Agency", on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField("requested on")
    received_on = models.DateField("received on", null=True, blank=True)
    summary = models.TextField("what the agency said", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "requested_on", "id"]
        verbose_name = "information from an agency"
        verbose_name_plural = "information from agencies"
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(received_on__gte=models.F("requested_on")),
                name="scoping_information_received_after_requested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} for {self.review}"
