"""The statutory clocks' own records: extensions agreed to a milestone and the dates milestones
were met (reviews.clocks works the clock out from them). Registered through reviews.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ClockExtension(models.Model):
    """An extension to one statutory milestone of a review, agreed by the partnership, with
    its reason. The latest agreed extension for a milestone sets its due date."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="clock_extensions")
    milestone = models.CharField(max_length=40, help_text="The milestone's key in the review type's clock.")
    due_date = models.DateField("extended due date")
    reason = models.TextField()
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    agreed_by_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "milestone", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.review.reference}: {self.milestone} extended to {self.due_date}"


class ClockMet(models.Model):
    """The date a statutory milestone was met, for milestones no review date field records
    (for example the overview report's completion)."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="clock_met")
    milestone = models.CharField(max_length=40)
    met_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "milestone"]
        constraints = [
            models.UniqueConstraint(fields=["review", "milestone"], name="clock_met_once_per_milestone"),
        ]

    def __str__(self) -> str:
        return f"{self.review.reference}: {self.milestone} met {self.met_on}"
