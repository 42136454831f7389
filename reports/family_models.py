"""The family reads the draft: a family member (or their advocate) invited by the review's chair to
read chosen versions of the overview report and executive summary, and nothing else; their
comments, which only the chair's side of the review reads; and the family's response as the chair
records it, with how the report changed. Registered through reports.models."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from reviews.models import Review


class FamilyReader(models.Model):
    """One invitation to read the draft. The account is the invitation's (``invitation.accepted_by``
    once accepted): it holds no review role, so every other page of every review answers 404 to it.
    Access ends at the end of ``access_until`` or when the chair withdraws it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="family_readers")
    invitation = models.OneToOneField("accounts.Invitation", on_delete=models.PROTECT, related_name="family_reader")
    name = models.CharField(max_length=200, help_text="The family member or advocate, as the chair names them.")
    relationship = models.CharField(
        max_length=200, help_text="Their relationship to the subject of the review, or the advocate's organisation."
    )
    access_until = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relationship})"

    @property
    def ends_at(self) -> datetime.datetime:
        """The first moment after ``access_until`` (local time): access has ended from then."""
        next_day = self.access_until + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time.min))

    @property
    def has_ended(self) -> bool:
        return self.withdrawn_at is not None or timezone.now() >= self.ends_at

    @property
    def status_label(self) -> str:
        if self.withdrawn_at is not None:
            return "Withdrawn"
        if self.has_ended:
            return "Ended"
        if self.invitation.accepted_at is None:
            return "Invited" if self.invitation.expires_at > timezone.now() else "Invitation expired"
        return "Reading"


class FamilyReaderVersion(models.Model):
    """The version of one document the reader may read: the section revisions it was made of at
    the moment the chair chose from the document's history, read from those saved revisions."""

    reader = models.ForeignKey(FamilyReader, on_delete=models.CASCADE, related_name="versions")
    document = models.ForeignKey("reports.Document", on_delete=models.CASCADE, related_name="+")
    # Which moment of the document's history, in words: "As it read on 3 December 2026 at 14:02 ...".
    label = models.CharField(max_length=300)
    revisions = models.ManyToManyField("reports.SectionRevision", related_name="+")

    class Meta:
        ordering = ["reader", "document__kind"]
        constraints = [
            models.UniqueConstraint(fields=["reader", "document"], name="family_version_one_per_document"),
        ]

    def __str__(self) -> str:
        return f"{self.document.get_kind_display()}: {self.label}"


class FamilyComment(models.Model):
    """A family reader's comment on the version they read, generally or on one of its sections
    (``section_title`` as the version names it). Read by the chair and board administrators only."""

    version = models.ForeignKey(FamilyReaderVersion, on_delete=models.CASCADE, related_name="comments")
    section_title = models.CharField(max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Family comment on {self.version}"


class FamilyResponse(models.Model):
    """The family's response to the draft as the chair records it, and how the report changed
    as a result: the review's record, kept with the family's comments."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="family_responses")
    reader = models.ForeignKey(FamilyReader, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    response = models.TextField()
    changes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"Family response, {self.review.reference}"
