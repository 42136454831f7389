# The submission pack (a job), the chair's checklist marks and the quality-assurance panel's feedback.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0011_published_artefacts"),
        ("reviews", "0015_partnership_logo_row"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SubmissionFeedback",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("approved", "Approved for publication"),
                            ("approved_changes", "Approved subject to amendments"),
                            ("resubmit", "Resubmit"),
                            ("information", "Further information requested"),
                            ("not_approved", "Not approved"),
                        ],
                        max_length=20,
                    ),
                ),
                ("received_on", models.DateField(verbose_name="date received")),
                ("text", models.TextField(verbose_name="the panel's feedback")),
                ("recorded_at", models.DateTimeField(auto_now_add=True)),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="submission_feedback",
                        to="reviews.review",
                    ),
                ),
            ],
            options={
                "ordering": ["-received_on", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="SubmissionCheckMark",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "item",
                    models.CharField(
                        help_text="The checklist item's key (reports.submission_checklist).", max_length=40
                    ),
                ),
                ("met", models.BooleanField()),
                ("note", models.TextField(blank=True)),
                ("marked_at", models.DateTimeField(auto_now=True)),
                (
                    "marked_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="submission_marks",
                        to="reviews.review",
                    ),
                ),
            ],
            options={
                "ordering": ["review", "item"],
                "constraints": [
                    models.UniqueConstraint(fields=("review", "item"), name="submission_mark_once_per_item")
                ],
            },
        ),
        migrations.CreateModel(
            name="SubmissionPack",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Waiting to start"),
                            ("running", "In progress"),
                            ("ready", "Ready"),
                            ("failed", "Failed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("requested_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("dispatched_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("heartbeat_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("attempt", models.PositiveIntegerField(default=0, editable=False)),
                ("interruptions", models.PositiveSmallIntegerField(default=0, editable=False)),
                ("progress", models.PositiveSmallIntegerField(default=0, help_text="Percent done while running.")),
                ("error", models.TextField(blank=True)),
                ("data", models.BinaryField(default=b"")),
                ("manifest", models.JSONField(default=dict, editable=False)),
                ("sha256", models.CharField(blank=True, max_length=64)),
                (
                    "requested_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="submission_packs",
                        to="reviews.review",
                    ),
                ),
            ],
            options={
                "ordering": ["-requested_at", "-pk"],
                "indexes": [models.Index(fields=["review", "-requested_at"], name="submission_pack_review")],
            },
        ),
    ]
