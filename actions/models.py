"""Recommendations, the actions that answer them, progress with evidence, and the
reminders sent about them: from a review's finding to assured change in practice."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from casereview.downloads import download_filename
from casereview.jobs import Job
from casereview.storage import file_path, files_go_with_rows
from reviews.models import Agency, Imr, Partnership, Review

# The themes every partnership starts with; the board adds its own.
DEFAULT_THEMES = (
    "Domestic abuse risk assessment",
    "Information sharing",
    "Multi-agency working",
    "Assessment and planning",
    "Record keeping",
    "Training and workforce development",
    "Management oversight and supervision",
    "Mental health",
    "Substance misuse",
    "Think family: adult and children's services",
    "Policy and procedure",
)


class Theme(models.Model):
    """A theme in the partnership's taxonomy of learning, used to see patterns across reviews."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="theme_name_unique_in_partnership"),
        ]

    def __str__(self) -> str:
        return self.name


class Recommendation(models.Model):
    class Source(models.TextChoices):
        OVERVIEW_REPORT = "overview_report", "Overview report"
        IMR = "imr", "IMR"

    class Scope(models.TextChoices):
        LOCAL = "local", "Local"
        REGIONAL = "regional", "Regional"
        NATIONAL = "national", "National"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveIntegerField()
    text = models.TextField()
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.OVERVIEW_REPORT)
    imr = models.ForeignKey(
        Imr,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_plan_recommendations",
        verbose_name="IMR",
        help_text="The IMR the recommendation comes from, when its source is an IMR.",
    )
    multi_agency = models.BooleanField("multi-agency", default=False)
    agencies = models.ManyToManyField(Agency, blank=True, related_name="recommendations")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    theme = models.ForeignKey(Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="recommendations")
    expected_outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_number_unique_in_review"),
            models.CheckConstraint(
                condition=(Q(source="imr") & Q(imr__isnull=False))
                | (Q(source="overview_report") & Q(imr__isnull=True)),
                name="recommendation_imr_iff_imr_source",
            ),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OVERDUE = "overdue", "Overdue"
        COMPLETE = "complete", "Complete"
        ASSURED = "assured", "Assured"

    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"
        # Complete and signed off: nothing left to watch.
        BLUE = "blue", "Blue"

    # Still open: the target date matters.
    OPEN_STATUSES = (Status.NOT_STARTED, Status.ON_TRACK, Status.AT_RISK, Status.OVERDUE)
    DONE_STATUSES = (Status.COMPLETE, Status.ASSURED)
    # Amber this many days before the target date when not yet started.
    AMBER_WINDOW_DAYS = 30

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField("action")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="lead_actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="owned_actions"
    )
    target_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    completed_on = models.DateField("date of completion", null=True, blank=True)
    outcome = models.TextField(blank=True)
    assured_at = models.DateTimeField(null=True, blank=True)
    assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recommendation__number", "target_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["complete", "assured"]) | Q(completed_on__isnull=True),
                name="action_completed_on_only_when_done",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["complete", "assured"]) | Q(completed_on__isnull=False),
                name="action_done_has_completed_on",
            ),
        ]
        indexes = [
            # The agency view and the overdue reminders: an agency's open actions by target date.
            models.Index(fields=["lead_agency", "target_date"], name="action_agency_target"),
            # The reminder job: open actions whose target date is near or past.
            models.Index(fields=["status", "target_date"], name="action_status_target"),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk} for {self.recommendation}"

    def effective_status(self, today: datetime.date | None = None) -> str:
        """The status as it stands today: an open action past its target date is overdue
        whatever was last recorded, so nobody has to touch it for the board to see it."""
        today = today or timezone.localdate()
        if self.status in self.OPEN_STATUSES and self.target_date < today:
            return self.Status.OVERDUE
        return self.status

    def rag(self, today: datetime.date | None = None) -> str:
        return rag_for(self.status, self.target_date, today or timezone.localdate())

    def get_effective_status_display(self) -> str:
        return self.Status(self.effective_status()).label


def rag_for(status: str, target_date: datetime.date, today: datetime.date) -> str:
    """Red, amber, green or blue from the recorded status and the dates. Past its target
    date and not done is red; at risk, or not started within the amber window, is amber."""
    if status == Action.Status.ASSURED:
        return Action.Rag.BLUE
    if status == Action.Status.COMPLETE:
        return Action.Rag.GREEN
    if status == Action.Status.OVERDUE or target_date < today:
        return Action.Rag.RED
    if status == Action.Status.AT_RISK:
        return Action.Rag.AMBER
    if status == Action.Status.NOT_STARTED and (target_date - today).days <= Action.AMBER_WINDOW_DAYS:
        return Action.Rag.AMBER
    return Action.Rag.GREEN


class Milestone(models.Model):
    """A key milestone on the way to completing an action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    text = models.CharField(max_length=300)
    due_date = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["action", "due_date", "id"]

    def __str__(self) -> str:
        return self.text


class ProgressUpdate(models.Model):
    """What the action owner reports: a note, optionally a new status, and evidence files."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    author_name = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    status_before = models.CharField(max_length=20, choices=Action.Status.choices)
    status_after = models.CharField(max_length=20, choices=Action.Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"Update on {self.action} by {self.author_name}"


class Evidence(models.Model):
    """A file showing an action's progress, kept in the file storage (casereview.storage: every
    web and worker process sees it), checked against its SHA-256 and served only through an
    access-checked view."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document"
        XLSX = "xlsx", "Excel workbook"
        PNG = "png", "PNG image"
        JPEG = "jpeg", "JPEG image"
        GIF = "gif", "GIF image"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="evidence")
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    filename = models.CharField(max_length=200, help_text="A safe version of the name it was uploaded with.")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=file_path, max_length=200, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "uploaded_at", "id"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.filename


files_go_with_rows(Evidence)


class ActionReminder(models.Model):
    """One reminder email about one action at one threshold; the unique constraint is what
    makes the reminder job safe to run twice."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=30, help_text="For example due_in_14 or overdue_7.")
    target_date = models.DateField(help_text="The target date the reminder was about.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "threshold", "target_date"], name="action_reminder_once_per_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.threshold}"


class ImrReminder(models.Model):
    """One email to a review's chairs about one overdue IMR at one threshold."""

    imr = models.ForeignKey(Imr, on_delete=models.CASCADE, related_name="+")
    threshold = models.CharField(max_length=30)
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["imr", "threshold", "due_date"], name="imr_reminder_once_per_threshold"),
        ]

    def __str__(self) -> str:
        return f"{self.imr}: {self.threshold}"


class BoardPlanExport(Job):
    """The board's action plans across all its reviews as one file, made by a job (a PDF of
    thousands of actions takes too long for a web request) and kept for the page to collect."""

    task_name = "actions.tasks.board_export_build_task"

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        PDF = "pdf", "PDF"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plan_exports")
    format = models.CharField(max_length=10, choices=Format.choices)
    action_count = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=file_path, max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.partnership} action plans ({self.format})"

    @property
    def label(self) -> str:
        return f"Action plans across all reviews ({self.get_format_display()})"

    @property
    def filename(self) -> str:
        return download_filename("action-plans", self.partnership.slug, f"{self.requested_at:%Y%m%d}", ext=self.format)


files_go_with_rows(BoardPlanExport)
