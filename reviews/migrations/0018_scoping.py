"""The scoping stage: the notification and what agencies said before the decision whether to
hold a full review, and the review's stage "Closed: not proceeding". A review without a scoping
record is a full review, so every existing review carries on as proceeding with no data to move."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0017_family_involvement"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="review",
            name="stage",
            field=models.CharField(
                choices=[
                    ("scoping", "Scoping"),
                    ("imrs_requested", "IMRs requested"),
                    ("analysis", "Analysis"),
                    ("drafting", "Drafting"),
                    ("panel_review", "Panel review"),
                    ("approved", "Approved"),
                    ("published", "Published"),
                    ("closed", "Closed"),
                    ("not_proceeding", "Closed: not proceeding"),
                ],
                default="scoping",
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="ScopingInformation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("requested_on", models.DateField(verbose_name="requested on")),
                ("received_on", models.DateField(blank=True, null=True, verbose_name="received on")),
                ("summary", models.TextField(blank=True, verbose_name="what the agency said")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "agency",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="reviews.agency"
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scoping_information",
                        to="reviews.review",
                    ),
                ),
            ],
            options={
                "verbose_name": "information from an agency",
                "verbose_name_plural": "information from agencies",
                "ordering": ["review", "requested_on", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("received_on__isnull", True),
                            ("received_on__gte", models.F("requested_on")),
                            _connector="OR",
                        ),
                        name="scoping_information_received_after_requested",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ScopingRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "notified_by",
                    models.CharField(
                        help_text="Who made the notification, for example the police's review officer.",
                        max_length=200,
                        verbose_name="notified by",
                    ),
                ),
                ("circumstances", models.TextField(verbose_name="summary of the circumstances")),
                (
                    "decision",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("proceed", "Conduct a full review"),
                            ("not_proceeding", "Do not conduct a full review"),
                        ],
                        max_length=20,
                    ),
                ),
                ("reasons", models.TextField(blank=True, verbose_name="reasons for the decision")),
                ("decided_by_name", models.CharField(blank=True, max_length=200)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "notifying_agency",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="reviews.agency",
                    ),
                ),
                (
                    "review",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="scoping", to="reviews.review"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("decision", ""),
                            models.Q(
                                ("decision__in", ["proceed", "not_proceeding"]),
                                models.Q(("reasons", ""), _negated=True),
                            ),
                            _connector="OR",
                        ),
                        name="scoping_decision_has_reasons",
                    )
                ],
            },
        ),
    ]
