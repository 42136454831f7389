"""The family involvement log: each contact the review had with the subject's family, friends,
colleagues and neighbours, the offers it made them and how they answered, and the pseudonym
the family chose for the subject.

Every person here is an entry of the review's person register: the log holds no real name of
its own, so the publication pipeline that protects the register protects the log too."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from reviews.models import Person, Review


class FamilyContact(models.Model):
    """One contact with someone who knew the subject: who, when, how, by whom, with which
    advocate, what they said (rich text, sanitised) and what the review did with it."""

    class Method(models.TextChoices):
        MEETING = "meeting", "Meeting in person"
        PHONE = "phone", "Telephone"
        VIDEO = "video", "Video call"
        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"
        THROUGH_ADVOCATE = "advocate", "Through their advocate"
        OTHER = "other", "Other"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="family_contacts")
    # PROTECT: a person the log speaks of cannot leave the register while the log names them.
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="family_contacts")
    contact_date = models.DateField("date of contact")
    method = models.CharField(max_length=20, choices=Method.choices)
    contacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="contact made by",
    )
    # Kept as text too, so the log still says who after the account is removed.
    contacted_by_name = models.CharField(max_length=200, blank=True)
    advocate_organisation = models.CharField(
        "advocate's organisation", max_length=200, blank=True, help_text="For example AAFDA. Empty: no advocate."
    )
    advocate_name = models.CharField("advocate's name", max_length=200, blank=True)
    consent_to_be_named = models.BooleanField(
        "agrees to be named in the report (by designation)",
        default=False,
        help_text="Without it the report says only that a family member or friend took part.",
    )
    consent_to_be_quoted = models.BooleanField(
        "agrees to be quoted",
        default=False,
        help_text="Without it, nothing they said is quoted in the published report.",
    )
    what_they_said = models.TextField(blank=True)
    review_response = models.TextField("what the review did with it", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "contact_date", "pk"]
        indexes = [
            # The log page and the overview report's block: one review's contacts by date.
            models.Index(fields=["review", "contact_date"], name="family_contact_review_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} with {self.person.designation} on {self.contact_date:%d %B %Y}"

    @property
    def advocate_involved(self) -> bool:
        return bool(self.advocate_organisation or self.advocate_name)


class FamilyOffer(models.Model):
    """Something the review offered someone close to the subject (to meet the panel, to read the
    draft, to write a pen portrait...), when, and their answer."""

    class Kind(models.TextChoices):
        MEET_CHAIR = "meet_chair", "Meet the chair"
        MEET_PANEL = "meet_panel", "Meet the panel"
        TERMS_OF_REFERENCE = "terms", "Comment on the terms of reference"
        PEN_PORTRAIT = "pen_portrait", "Contribute a pen portrait"
        READ_DRAFT = "read_draft", "Read the draft report"
        ADVOCACY = "advocacy", "Be referred to an advocacy service"
        OTHER = "other", "Other"

    class Response(models.TextChoices):
        AWAITED = "awaited", "Awaiting an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        NO_RESPONSE = "no_response", "No response"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="family_offers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="family_offers")
    kind = models.CharField("offer", max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=300, blank=True, help_text="What was offered, when the offer is other.")
    made_on = models.DateField("offer made on")
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.AWAITED)
    response_date = models.DateField("date of the response", null=True, blank=True)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "made_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(response_date__isnull=True) | Q(response_date__gte=models.F("made_on")),
                name="family_offer_response_after_offer",
            ),
            models.CheckConstraint(
                condition=Q(response="awaited", response_date__isnull=True) | ~Q(response="awaited"),
                name="family_offer_awaited_has_no_response_date",
            ),
        ]
        indexes = [
            # The log page and the board's status: one review's offers by date.
            models.Index(fields=["review", "made_on"], name="family_offer_review_date"),
        ]

    def __str__(self) -> str:
        what = self.description if self.kind == self.Kind.OTHER and self.description else self.get_kind_display()
        return f"Offer to {self.person.designation}: {what}"

    @property
    def what(self) -> str:
        return self.description or self.get_kind_display()


class FamilyPseudonym(models.Model):
    """The name the family chose for the subject in the published documents. Agreeing one makes
    it the subject's designation in the person register (through the register's own checks), so
    every published document uses it; ``previous_designation`` is what it replaced."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="family_pseudonym")
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    pseudonym = models.CharField(max_length=100)
    previous_designation = models.CharField(max_length=100, blank=True)
    agreed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="agreed by")
    agreed_on = models.DateField("agreed on")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Pseudonym “{self.pseudonym}” for {self.previous_designation or 'the subject'}"
