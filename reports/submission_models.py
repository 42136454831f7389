"""A review's submission to its quality-assurance recipient (the Home Office panel for a DHR, the
national Child Safeguarding Practice Review Panel for a CSPR or rapid review, the Safeguarding
Adults Board for a SAR): the pack of files made by a job, the chair's marks on the checklist
items the review's data cannot answer, and the panel's feedback with its outcome.
Registered through reports.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from casereview.downloads import download_filename
from casereview.jobs import Job
from casereview.storage import file_path, files_go_with_rows
from reviews.models import Review


class SubmissionPack(Job):
    """One zip of the files the recipient expects, with its manifest (reports.submission_pack)."""

    task_name = "reports.tasks.submission_pack_task"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="submission_packs")
    # Written in the same UPDATE that marks the row ready: there is never a half-written zip.
    file = models.FileField(upload_to=file_path, max_length=200, blank=True, editable=False)
    # manifest.json as it is in the zip: each file, what it is, its SHA-256 and its source version.
    manifest = models.JSONField(default=dict, editable=False)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [
            # The submission page's latest packs of a review.
            models.Index(fields=["review", "-requested_at"], name="submission_pack_review"),
        ]

    def __str__(self) -> str:
        return f"Submission pack, {self.review.reference}"

    @property
    def label(self) -> str:
        return "Submission pack"

    @property
    def filename(self) -> str:
        return download_filename(self.review.reference, "submission-pack", f"p{self.pk}", ext="zip")

    @property
    def files(self) -> list[dict]:
        return list(self.manifest.get("files", [])) if isinstance(self.manifest, dict) else []


files_go_with_rows(SubmissionPack)


class SubmissionCheckMark(models.Model):
    """The chair's answer to one checklist item the review's data does not answer."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="submission_marks")
    item = models.CharField(max_length=40, help_text="The checklist item's key (reports.submission_checklist).")
    met = models.BooleanField()
    note = models.TextField(blank=True)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "item"]
        constraints = [
            models.UniqueConstraint(fields=["review", "item"], name="submission_mark_once_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.review.reference}: {self.item} {'met' if self.met else 'not met'}"


class SubmissionFeedback(models.Model):
    """What the quality-assurance panel said about a submission, and its outcome."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved for publication"
        APPROVED_WITH_CHANGES = "approved_changes", "Approved subject to amendments"
        RESUBMIT = "resubmit", "Resubmit"
        FURTHER_INFORMATION = "information", "Further information requested"
        NOT_APPROVED = "not_approved", "Not approved"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="submission_feedback")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    received_on = models.DateField("date received")
    text = models.TextField("the panel's feedback")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.review.reference}: {self.get_outcome_display()} ({self.received_on:%d/%m/%Y})"
