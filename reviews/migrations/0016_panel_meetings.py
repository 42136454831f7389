import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0015_partnership_logo_row"),
        ("reports", "0013_briefing_slides"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PanelMeeting",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("starts_at", models.DateTimeField(verbose_name="date and time")),
                (
                    "place",
                    models.CharField(
                        blank=True, help_text="Where the panel meets, for example a room.", max_length=300
                    ),
                ),
                ("link", models.URLField(blank=True, max_length=500, verbose_name="online meeting link")),
                ("decisions", models.TextField(blank=True)),
                ("minutes", models.TextField(blank=True)),
                ("minutes_version", models.PositiveIntegerField(default=0)),
                ("minutes_save_id", models.CharField(blank=True, default="", max_length=64)),
                ("minutes_updated_at", models.DateTimeField(blank=True, null=True)),
                ("minutes_approved_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "minutes_approved_at_meeting",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="approved_minutes_of",
                        to="reviews.panelmeeting",
                    ),
                ),
                (
                    "minutes_approved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "minutes_updated_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="panel_meetings", to="reviews.review"
                    ),
                ),
            ],
            options={
                "ordering": ["review", "starts_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="MeetingReminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("starts_at", models.DateTimeField()),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="reminders", to="reviews.panelmeeting"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="MeetingPaper",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("added_at", models.DateTimeField(auto_now_add=True)),
                (
                    "added_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="reports.document"
                    ),
                ),
                (
                    "render",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="reports.documentrender",
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="papers", to="reviews.panelmeeting"
                    ),
                ),
            ],
            options={
                "ordering": ["meeting", "added_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="MeetingAttendance",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "status",
                    models.CharField(
                        choices=[("present", "Present"), ("apologies", "Apologies"), ("absent", "Absent")],
                        max_length=12,
                    ),
                ),
                (
                    "agency",
                    models.ForeignKey(
                        blank=True,
                        help_text="The agency the member represented at the meeting; empty: independent.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="reviews.agency",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendance",
                        to="reviews.panelmeeting",
                    ),
                ),
            ],
            options={
                "ordering": ["meeting", "user__last_name", "user__first_name"],
            },
        ),
        migrations.CreateModel(
            name="AgendaItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField()),
                ("title", models.CharField(max_length=300)),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agenda_items",
                        to="reviews.panelmeeting",
                    ),
                ),
            ],
            options={
                "ordering": ["meeting", "position"],
            },
        ),
        migrations.CreateModel(
            name="ActionArising",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("description", models.TextField()),
                ("due_date", models.DateField()),
                ("done_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "done_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="actions_arising",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actions_arising",
                        to="reviews.panelmeeting",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "actions arising",
                "ordering": ["meeting", "due_date", "pk"],
            },
        ),
        migrations.CreateModel(
            name="ActionArisingReminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("due_date", models.DateField()),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
                (
                    "action",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminders",
                        to="reviews.actionarising",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("action", "due_date"), name="action_arising_reminder_once")
                ],
            },
        ),
        migrations.AddIndex(
            model_name="panelmeeting",
            index=models.Index(fields=["review", "starts_at"], name="panel_meeting_review_start"),
        ),
        migrations.AddConstraint(
            model_name="panelmeeting",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("place", ""), _negated=True), models.Q(("link", ""), _negated=True), _connector="OR"
                ),
                name="panel_meeting_has_place_or_link",
            ),
        ),
        migrations.AddConstraint(
            model_name="meetingreminder",
            constraint=models.UniqueConstraint(fields=("meeting", "starts_at"), name="meeting_reminder_once"),
        ),
        migrations.AddConstraint(
            model_name="meetingpaper",
            constraint=models.UniqueConstraint(
                condition=models.Q(("render__isnull", True)),
                fields=("meeting", "document"),
                name="meeting_paper_document_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="meetingpaper",
            constraint=models.UniqueConstraint(
                condition=models.Q(("render__isnull", False)),
                fields=("meeting", "render"),
                name="meeting_paper_render_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="meetingattendance",
            constraint=models.UniqueConstraint(fields=("meeting", "user"), name="meeting_attendance_once_per_member"),
        ),
        migrations.AddConstraint(
            model_name="meetingattendance",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["present", "apologies", "absent"])),
                name="meeting_attendance_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="agendaitem",
            constraint=models.UniqueConstraint(fields=("meeting", "position"), name="agenda_item_position_unique"),
        ),
        migrations.AddIndex(
            model_name="actionarising",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)), fields=["owner", "due_date"], name="action_arising_open"
            ),
        ),
        migrations.AddIndex(
            model_name="actionarising",
            index=models.Index(
                condition=models.Q(("done_at__isnull", True)), fields=["due_date"], name="action_arising_open_due"
            ),
        ),
    ]
