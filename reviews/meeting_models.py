"""Panel meetings: when and where the review's panel meets, its agenda, who attended for which
agency, the minutes (rich text, approved at the next meeting), the decisions, the actions arising
(each with an owner and a due date, in the owner's list until done), the papers circulated, and
the reminders sent about them. Registered through reviews.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class PanelMeeting(models.Model):
    """One meeting of a review's panel."""

    review = models.ForeignKey("reviews.Review", on_delete=models.CASCADE, related_name="panel_meetings")
    starts_at = models.DateTimeField("date and time")
    place = models.CharField(max_length=300, blank=True, help_text="Where the panel meets, for example a room.")
    link = models.URLField("online meeting link", max_length=500, blank=True)
    # One decision a line, in the order the panel took them.
    decisions = models.TextField(blank=True)
    # The minutes: sanitised rich text (reports.richtext), saved with optimistic concurrency.
    minutes = models.TextField(blank=True)
    minutes_version = models.PositiveIntegerField(default=0)
    # The editor's id of the last save, so a retried save is answered with the version it made.
    minutes_save_id = models.CharField(max_length=64, blank=True, default="")
    minutes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    # Approved as a true record at a later meeting; until then the minutes are a draft.
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    minutes_approved_at_meeting = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="approved_minutes_of"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(place="") | ~Q(link=""), name="panel_meeting_has_place_or_link"),
        ]
        indexes = [
            # A review's meetings in order, and the next meeting of each review on the board's view.
            models.Index(fields=["review", "starts_at"], name="panel_meeting_review_start"),
        ]

    def __str__(self) -> str:
        return f"Panel meeting {self.starts_at:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:meeting_detail", args=[self.review_id, self.pk])

    @property
    def minutes_approved(self) -> bool:
        return self.minutes_approved_at is not None

    @property
    def decision_list(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in its place."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=300)

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class MeetingAttendance(models.Model):
    """Whether one member of the panel attended one meeting, and for which agency."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    agency = models.ForeignKey(
        "reviews.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The agency the member represented at the meeting; empty: independent.",
    )  # fmt: skip

    class Meta:
        ordering = ["meeting", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meeting_attendance_once_per_member"),
            models.CheckConstraint(
                condition=Q(status__in=["present", "apologies", "absent"]), name="meeting_attendance_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_status_display()}"


class MeetingPaper(models.Model):
    """A document of the review circulated for a meeting: the document as it stands, or one
    rendered file of it (the version the panel read)."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="papers")
    document = models.ForeignKey("reports.Document", on_delete=models.CASCADE, related_name="+")
    render = models.ForeignKey(
        "reports.DocumentRender", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "document"], condition=Q(render__isnull=True), name="meeting_paper_document_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "render"], condition=Q(render__isnull=False), name="meeting_paper_render_once"
            ),
        ]

    def __str__(self) -> str:
        return f"Paper: {self.render or self.document}"


class ActionArising(models.Model):
    """Something the panel asked one member of the review to do by a date. It is in the owner's
    list ("My actions") until it is done."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="actions_arising")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions_arising")
    due_date = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "due_date", "pk"]
        verbose_name_plural = "actions arising"
        indexes = [
            # "My actions": one owner's open actions arising.
            models.Index(fields=["owner", "due_date"], condition=Q(done_at__isnull=True), name="action_arising_open"),
            # The overdue reminders: open actions arising past their due date.
            models.Index(fields=["due_date"], condition=Q(done_at__isnull=True), name="action_arising_open_due"),
        ]

    def __str__(self) -> str:
        return f"Action arising: {self.description[:60]}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class MeetingReminder(models.Model):
    """The reminder sent before a meeting, once for each time it is set for (a meeting moved to
    another time is reminded of again); the constraint makes the job safe to run twice."""

    meeting = models.ForeignKey(PanelMeeting, on_delete=models.CASCADE, related_name="reminders")
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "starts_at"], name="meeting_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"Reminder of the meeting at {self.starts_at:%d/%m/%Y %H:%M}"


class ActionArisingReminder(models.Model):
    """The reminder sent to an overdue action arising's owner, once for each due date it has."""

    action = models.ForeignKey(ActionArising, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "due_date"], name="action_arising_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"Reminder of an action arising due {self.due_date:%d/%m/%Y}"
