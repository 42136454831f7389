"""The IMR narrative's own records: every save of an answer (its history, and what a retried
save is answered with), and what an IMR held when the chair returned it (so its resubmission
shows what changed). Registered through reviews.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImrAnswerRevision(models.Model):
    """Every save of an answer to a key line of enquiry is kept: its history and diffs."""

    answer = models.ForeignKey("reviews.ImrAnswer", on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    autosave = models.BooleanField(default=False)
    # The editor's id for one save attempt (a retry of the same text sends the same id), so a save
    # whose answer was lost is answered with this revision instead of a conflict with oneself.
    save_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["answer", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "version"], name="imr_answer_revision_one_per_version"),
            models.UniqueConstraint(
                fields=["answer", "save_id"], condition=~models.Q(save_id=""), name="imr_answer_revision_one_per_save"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answer} v{self.version}"


class ImrSnapshot(models.Model):
    """What an IMR held when the chair returned it for clarification: its chronology entries
    (each a dict of its fields, with its id) and its answers (key line id, as text, to HTML)."""

    imr = models.ForeignKey("reviews.Imr", on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(auto_now_add=True)
    entries = models.JSONField(default=list)
    answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["imr", "-taken_at", "-id"]
        get_latest_by = "taken_at"

    def __str__(self) -> str:
        return f"{self.imr} as returned {self.taken_at:%Y-%m-%d %H:%M}"
