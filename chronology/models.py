"""Agency chronologies: the entries an agency records of its contact with the people in a
review, the files they were uploaded from, and the chair's clarification requests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Precision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    SEASON = "season", "Season"
    YEAR = "year", "Year"
    APPROXIMATE = "approximate", "Approximate"
    RANGE = "range", "Range"


class ChronologyEntry(models.Model):
    imr = models.ForeignKey("reviews.Imr", on_delete=models.CASCADE, related_name="entries")
    # The agency's own row order: the last tie-breaker when entries share a date and time.
    position = models.PositiveIntegerField()
    date_start = models.DateField()
    date_end = models.DateField(help_text="Inclusive.")
    precision = models.CharField(max_length=12, choices=Precision.choices)
    date_display = models.CharField("date", max_length=60, help_text="The date as the agency wrote it, normalised.")
    time = models.TimeField(null=True, blank=True)
    people = models.JSONField(default=list, blank=True, help_text="People involved, as named in the agency's records.")
    source = models.CharField(max_length=255, blank=True, help_text="The record this comes from.")
    practitioner = models.CharField(max_length=255, blank=True, help_text="The practitioner's role, never their name.")
    event = models.CharField("event type", max_length=255, blank=True)
    details = models.TextField(help_text="What happened: facts only.")
    outcome = models.TextField("action / outcome", blank=True)
    comment = models.TextField("IMR author's comment", blank=True, help_text="Analysis, kept apart from the facts.")
    significant = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["imr", "date_start", "position"]
        verbose_name_plural = "chronology entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(date_end__gte=models.F("date_start")), name="entry_date_end_after_start"
            ),
            models.CheckConstraint(condition=Q(precision__in=Precision.values), name="entry_precision_valid"),
        ]
        indexes = [
            # An agency's chronology in its own order (the IMR pages and the merge).
            models.Index(fields=["imr", "position"], name="entry_imr_position"),
        ]

    def __str__(self) -> str:
        return f"{self.date_display}: {self.details[:60]}"


class ChronologyUpload(models.Model):
    """An uploaded chronology file that passed every check, between its preview and its import.

    The file is kept in the database, not on disk, so it stands or falls with the transaction
    that stored it; its bytes are cleared once imported or discarded (a file with errors is
    never stored at all)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        IMPORTED = "imported", "Imported"
        DISCARDED = "discarded", "Discarded"

    imr = models.ForeignKey("reviews.Imr", on_delete=models.CASCADE, related_name="uploads")
    data = models.BinaryField(editable=False)
    original_name = models.CharField(max_length=255)
    sheet = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREVIEWED)
    row_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The hourly clean-up: previews left waiting.
            models.Index(fields=["status", "created_at"], name="upload_status_created"),
        ]

    def __str__(self) -> str:
        return self.original_name


class Clarification(models.Model):
    """A question from the chair on a returned IMR, about one entry or the IMR as a whole,
    and the IMR author's answer."""

    imr = models.ForeignKey("reviews.Imr", on_delete=models.CASCADE, related_name="clarifications")
    entry = models.ForeignKey(
        ChronologyEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="clarifications"
    )
    # Kept so the question still reads sensibly if the entry is later deleted.
    entry_label = models.CharField(max_length=200, blank=True)
    question = models.TextField()
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["imr", "asked_at", "id"]

    def __str__(self) -> str:
        return self.question[:60]
