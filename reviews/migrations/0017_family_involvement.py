import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0016_panel_meetings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FamilyPseudonym",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("pseudonym", models.CharField(max_length=100)),
                ("previous_designation", models.CharField(blank=True, max_length=100)),
                ("agreed_on", models.DateField(verbose_name="agreed on")),
                ("recorded_at", models.DateTimeField(auto_now=True)),
                (
                    "agreed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="reviews.person",
                        verbose_name="agreed by",
                    ),
                ),
                (
                    "recorded_by",
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
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="family_pseudonym",
                        to="reviews.review",
                    ),
                ),
                (
                    "subject",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="+", to="reviews.person"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="FamilyContact",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("contact_date", models.DateField(verbose_name="date of contact")),
                (
                    "method",
                    models.CharField(
                        choices=[
                            ("meeting", "Meeting in person"),
                            ("phone", "Telephone"),
                            ("video", "Video call"),
                            ("letter", "Letter"),
                            ("email", "Email"),
                            ("text", "Text message"),
                            ("advocate", "Through their advocate"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                    ),
                ),
                ("contacted_by_name", models.CharField(blank=True, max_length=200)),
                (
                    "advocate_organisation",
                    models.CharField(
                        blank=True,
                        help_text="For example AAFDA. Empty: no advocate.",
                        max_length=200,
                        verbose_name="advocate's organisation",
                    ),
                ),
                ("advocate_name", models.CharField(blank=True, max_length=200, verbose_name="advocate's name")),
                (
                    "consent_to_be_named",
                    models.BooleanField(
                        default=False,
                        help_text="Without it the report says only that a family member or friend took part.",
                        verbose_name="agrees to be named in the report (by designation)",
                    ),
                ),
                (
                    "consent_to_be_quoted",
                    models.BooleanField(
                        default=False,
                        help_text="Without it, nothing they said is quoted in the published report.",
                        verbose_name="agrees to be quoted",
                    ),
                ),
                ("what_they_said", models.TextField(blank=True)),
                ("review_response", models.TextField(blank=True, verbose_name="what the review did with it")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "contacted_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="contact made by",
                    ),
                ),
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
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="family_contacts", to="reviews.person"
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="family_contacts", to="reviews.review"
                    ),
                ),
            ],
            options={
                "ordering": ["review", "contact_date", "pk"],
                "indexes": [models.Index(fields=["review", "contact_date"], name="family_contact_review_date")],
            },
        ),
        migrations.CreateModel(
            name="FamilyOffer",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("meet_chair", "Meet the chair"),
                            ("meet_panel", "Meet the panel"),
                            ("terms", "Comment on the terms of reference"),
                            ("pen_portrait", "Contribute a pen portrait"),
                            ("read_draft", "Read the draft report"),
                            ("advocacy", "Be referred to an advocacy service"),
                            ("other", "Other"),
                        ],
                        max_length=20,
                        verbose_name="offer",
                    ),
                ),
                (
                    "description",
                    models.CharField(
                        blank=True, help_text="What was offered, when the offer is other.", max_length=300
                    ),
                ),
                ("made_on", models.DateField(verbose_name="offer made on")),
                (
                    "response",
                    models.CharField(
                        choices=[
                            ("awaited", "Awaiting an answer"),
                            ("accepted", "Accepted"),
                            ("declined", "Declined"),
                            ("no_response", "No response"),
                        ],
                        default="awaited",
                        max_length=20,
                    ),
                ),
                ("response_date", models.DateField(blank=True, null=True, verbose_name="date of the response")),
                ("note", models.TextField(blank=True)),
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
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="family_offers", to="reviews.person"
                    ),
                ),
                (
                    "review",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="family_offers", to="reviews.review"
                    ),
                ),
            ],
            options={
                "ordering": ["review", "made_on", "pk"],
                "indexes": [models.Index(fields=["review", "made_on"], name="family_offer_review_date")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("response_date__isnull", True),
                            ("response_date__gte", models.F("made_on")),
                            _connector="OR",
                        ),
                        name="family_offer_response_after_offer",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("response", "awaited"), ("response_date__isnull", True)),
                            models.Q(("response", "awaited"), _negated=True),
                            _connector="OR",
                        ),
                        name="family_offer_awaited_has_no_response_date",
                    ),
                ],
            },
        ),
    ]
