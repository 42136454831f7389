"""Partnerships, their agency directory, reviews, who holds which role, the person
register, IMRs and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


class Partnership(models.Model):
    """A safeguarding partnership (board): the tenant boundary of casereview."""

    class Kind(models.TextChoices):
        COMMUNITY_SAFETY = "community_safety", "Community safety partnership"
        CHILDREN = "children", "Safeguarding children partnership"
        ADULTS = "adults", "Safeguarding adults board"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipMembership(models.Model):
    """A role held across a whole partnership: the board administrator."""

    class Role(models.TextChoices):
        BOARD_ADMIN = "board_admin", "Board administrator"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.BOARD_ADMIN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership", "role"], name="partnership_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.partnership}"


class Agency(models.Model):
    """An organisation in a partnership's directory."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
        ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
        HEALTH_VISITING = "health_visiting", "Health visiting and community health"
        GP = "gp", "GP practice"
        HOSPITAL = "hospital", "Hospital trust"
        MENTAL_HEALTH = "mental_health", "Mental health trust"
        AMBULANCE = "ambulance", "Ambulance service"
        PROBATION = "probation", "Probation"
        HOUSING = "housing", "Housing"
        DOMESTIC_ABUSE_SERVICE = "domestic_abuse_service", "Domestic abuse service"
        EDUCATION = "education", "School or education"
        NURSERY = "nursery", "Nursery or early years"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_name_unique_in_partnership"),
        ]

    def __str__(self) -> str:
        return self.name


class Review(models.Model):
    class Type(models.TextChoices):
        DHR = "dhr", "Domestic Homicide Review"
        CSPR = "cspr", "Child Safeguarding Practice Review"
        RAPID = "rapid", "Rapid Review"
        SAR = "sar", "Safeguarding Adults Review"
        SCR = "scr", "Serious Case Review"

    class Stage(models.TextChoices):
        SCOPING = "scoping", "Scoping"
        IMRS_REQUESTED = "imrs_requested", "IMRs requested"
        ANALYSIS = "analysis", "Analysis"
        DRAFTING = "drafting", "Drafting"
        PANEL_REVIEW = "panel_review", "Panel review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"
        NOT_PROCEEDING = "not_proceeding", "Closed: not proceeding"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="reviews")
    reference = models.CharField(max_length=50, help_text="The partnership's reference, for example BDHR2012/13-04.")
    review_type = models.CharField("type", max_length=10, choices=Type.choices)
    case_name = models.CharField(max_length=200, help_text='The name the review is known by, for example "Family B".')
    incident_date = models.DateField("incident date", null=True, blank=True)
    notification_date = models.DateField(null=True, blank=True)
    decision_date = models.DateField("decision to review", null=True, blank=True)
    scope_start = models.DateField("review period start")
    scope_end = models.DateField("review period end")
    terms_of_reference = models.TextField(blank=True)
    report_author = models.CharField(
        "author of the overview report",
        max_length=200,
        blank=True,
        help_text='As printed on the cover, for example "Jane Smith, independent author". Empty: the chair.',
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SCOPING)
    gap_threshold_months = models.PositiveSmallIntegerField(
        "gap threshold (months)",
        default=6,
        help_text="The integrated chronology lists periods longer than this with no agency contact.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Retention: an archived review is read-only; after ``retain_until`` its personal data is
    # purged (``purged_at``) and only the review's outline, action plan and audit trail remain.
    archived_at = models.DateTimeField(null=True, blank=True)
    retain_until = models.DateField("keep personal data until", null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="review_reference_unique_in_partnership"),
            models.CheckConstraint(
                condition=Q(scope_end__gte=models.F("scope_start")), name="review_scope_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(notification_date__isnull=True)
                | Q(decision_date__isnull=True)
                | Q(decision_date__gte=models.F("notification_date")),
                name="review_decision_after_notification",
            ),
            models.CheckConstraint(
                condition=Q(review_type__in=["dhr", "cspr", "rapid", "sar", "scr"]), name="review_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.case_name}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", args=[self.pk])


class KeyLineOfEnquiry(models.Model):
    """A question the review asks of the agencies; IMR narratives answer them in order. Asked of
    the agencies in ``agencies``, or of every agency when it names none."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="key_lines")
    position = models.PositiveIntegerField()
    text = models.TextField()
    agencies = models.ManyToManyField(Agency, blank=True, related_name="key_lines")

    class Meta:
        ordering = ["review", "position"]
        verbose_name = "key line of enquiry"
        verbose_name_plural = "key lines of enquiry"
        constraints = [
            models.UniqueConstraint(fields=["review", "position"], name="key_line_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"


class ReviewMembership(models.Model):
    """A role one user holds in one review. IMR authors and action owners act for one agency."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Panel chair"
        PANEL = "panel", "Panel member"
        IMR_AUTHOR = "imr_author", "IMR author"
        ACTION_OWNER = "action_owner", "Action owner"

    AGENCY_ROLES = (Role.IMR_AUTHOR, Role.ACTION_OWNER)

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    panel_role = models.CharField(
        "role on the panel",
        max_length=200,
        blank=True,
        help_text='Job title and organisation as the report lists them, for example "Detective Inspector, Police".',
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "role", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "user", "role"], name="membership_role_once_per_review"),
            models.CheckConstraint(
                condition=(Q(role__in=["imr_author", "action_owner"]) & Q(agency__isnull=False))
                | (Q(role__in=["chair", "panel"]) & Q(agency__isnull=True)),
                name="membership_agency_iff_agency_role",
            ),
        ]
        indexes = [
            # "My reviews": every membership of one user.
            models.Index(fields=["user", "review"], name="membership_user_review"),
        ]

    def __str__(self) -> str:
        suffix = f" ({self.agency})" if self.agency_id else ""
        return f"{self.user} – {self.get_role_display()}{suffix}"


class Person(models.Model):
    """An entry in a review's person register. The designation is what every published
    document uses in place of the real name and aliases."""

    class Relationship(models.TextChoices):
        VICTIM = "victim", "Victim"
        PERPETRATOR = "perpetrator", "Perpetrator"
        CHILD = "child", "Child"
        FAMILY_MEMBER = "family_member", "Family member"
        PARTNER = "partner", "Partner or ex-partner"
        FRIEND = "friend", "Friend or neighbour"
        PROFESSIONAL = "professional", "Professional"
        OTHER = "other", "Other"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="people")
    real_name = models.CharField(max_length=200)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names the person is recorded under.")
    # Names or aliases that are also English words ("Jade", "Will") but in this review always mean
    # this person: their capitalised uses are replaced by the designation, not left as findings.
    confirmed_names = models.JSONField(default=list, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship.choices, default=Relationship.OTHER)
    designation = models.CharField(
        max_length=100, help_text='How published documents refer to the person, for example "Mrs B" or "Child 1".'
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["review", "designation"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["review", "real_name"], name="person_real_name_unique_in_review"),
            models.UniqueConstraint(fields=["review", "designation"], name="person_designation_unique_in_review"),
        ]

    def __str__(self) -> str:
        return self.designation


class PublicationDecision(models.Model):
    """The chair's decision on something the publication check found (reviews.publication).

    Acknowledge: one finding is not identifying ("The family hope that…"), with a reason. Replace:
    one finding is the person after all ("Jade" rang), so the designation goes in its place. Both
    name the text they were made on by a hash: when that paragraph or field changes, they no
    longer apply. Redact: an agency entry's field (cited as a footnote, or exported by designation)
    becomes "[Redacted]" in every publication output. Both are kept against a scope that
    survives a rebuild of the integrated chronology (the entry's fingerprint, not its id)."""

    class Kind(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", "Acknowledged as not identifying"
        # A name that is also an English word ("Jade") is found, not replaced: the chair confirms
        # that this one is the person, and the designation goes in its place.
        REPLACE = "replace", "Confirmed as the person: replaced by the designation"
        REDACT = "redact", "Redacted"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="publication_decisions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # "section:45", "entry:<fingerprint>:details", "recommendation:3:text", "review:case_name"
    scope = models.CharField(max_length=120)
    text_hash = models.CharField(max_length=24)
    term_key = models.CharField(max_length=200, blank=True)
    occurrence = models.PositiveIntegerField(default=0)
    # What the chair saw when deciding, for the publication report: where and the words around it.
    where = models.CharField(max_length=300, blank=True)
    context = models.CharField(max_length=400, blank=True)
    reason = models.CharField(max_length=500)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review", "decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "kind", "scope", "text_hash", "term_key", "occurrence"],
                name="publication_decision_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.where}"


class Imr(models.Model):
    """An Individual Management Review: one agency's account to one review."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for clarification"
        ACCEPTED = "accepted", "Accepted"
        NIL_RETURN = "nil_return", "Nil return"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="imrs")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="imrs")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    due_date = models.DateField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="imrs_authored"
    )
    signing_off_manager = models.CharField(max_length=200, blank=True)
    signing_off_manager_role = models.CharField("signing-off manager's role", max_length=200, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    nil_return_reason = models.TextField(
        blank=True,
        help_text="Why the agency has nothing to contribute, for example no contact with anyone in the review.",
    )

    # The agency may change its chronology and narrative only in these states.
    EDITABLE_STATUSES = (Status.REQUESTED, Status.IN_PROGRESS, Status.RETURNED)
    # The panel reads an IMR's content once the agency has submitted it.
    SHARED_STATUSES = (Status.SUBMITTED, Status.RETURNED, Status.ACCEPTED, Status.NIL_RETURN)
    # A document cites an agency's entries only as submitted or accepted: never a draft, nor one
    # returned to the agency and being changed again.
    CITABLE_STATUSES = (Status.SUBMITTED, Status.ACCEPTED)

    class Meta:
        ordering = ["review", "agency__name"]
        verbose_name = "IMR"
        verbose_name_plural = "IMRs"
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="imr_one_per_agency_per_review"),
        ]

    def __str__(self) -> str:
        return f"IMR: {self.agency} ({self.review.reference})"

    def get_absolute_url(self) -> str:
        return reverse("reviews:imr_detail", args=[self.review_id, self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def lateness(self) -> str:
        """How the IMR stands against its due date, in words for the review page."""
        if self.due_date is None:
            return ""
        if self.status in self.EDITABLE_STATUSES:
            days = (timezone.localdate() - self.due_date).days
            if days > 0:
                return f"Overdue by {days} day{'s' if days != 1 else ''}"
            if days == 0:
                return "Due today"
            return f"Due in {-days} day{'s' if days != -1 else ''}"
        if self.submitted_at is not None:
            days = (timezone.localdate(self.submitted_at) - self.due_date).days
            return f"Submitted {days} day{'s' if days != 1 else ''} late" if days > 0 else "Submitted on time"
        return ""

    @property
    def is_overdue(self) -> bool:
        """Past its due date and still waiting on the agency."""
        return (
            self.due_date is not None
            and self.due_date < timezone.localdate()
            and self.status in (self.Status.REQUESTED, self.Status.IN_PROGRESS, self.Status.RETURNED)
        )


class AuditEntry(models.Model):
    """One thing someone did. Written by the services in the same transaction as the change;
    never edited or deleted from the application."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Kept as text too, so the entry still says who after the account is removed.
    actor_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80, help_text="A dotted action code, for example review.created.")
    partnership = models.ForeignKey(Partnership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [
            # The review's audit page: newest first within one review.
            models.Index(fields=["review", "-created_at"], name="audit_review_recent"),
            # The board's audit page: newest first within one partnership.
            models.Index(fields=["partnership", "-created_at"], name="audit_partnership_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class ImrAnswer(models.Model):
    """The IMR narrative: the agency's answer to one key line of enquiry, as rich text (sanitised
    HTML, reports.richtext). ``version`` counts its saves: a save based on an older one is refused."""

    imr = models.ForeignKey(Imr, on_delete=models.CASCADE, related_name="answers")
    key_line = models.ForeignKey(KeyLineOfEnquiry, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["imr", "key_line__position"]
        constraints = [
            models.UniqueConstraint(fields=["imr", "key_line"], name="imr_answer_once_per_key_line"),
        ]

    def __str__(self) -> str:
        return f"{self.imr}: answer to {self.key_line.position}"


class ImrRecommendation(models.Model):
    """A single-agency recommendation the agency makes of itself in its IMR."""

    imr = models.ForeignKey(Imr, on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["imr", "position"]
        constraints = [
            models.UniqueConstraint(fields=["imr", "position"], name="imr_recommendation_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.imr}: recommendation {self.position}"


# Models kept in sibling modules, imported here so that Django registers them with the app.
import reviews.scoping_models  # noqa: E402, F401  (the scoping stage: registered with the app)
from reviews.clock_models import ClockExtension, ClockMet  # noqa: E402
from reviews.family_models import FamilyContact, FamilyOffer, FamilyPseudonym  # noqa: E402
from reviews.imr_models import ImrAnswerRevision, ImrSnapshot  # noqa: E402
from reviews.logo_models import PartnershipLogo  # noqa: E402
from reviews.notification_models import Notification  # noqa: E402

__all__ = [
    "Agency",
    "AuditEntry",
    "ClockExtension",
    "ClockMet",
    "FamilyContact",
    "FamilyOffer",
    "FamilyPseudonym",
    "Imr",
    "ImrAnswer",
    "ImrAnswerRevision",
    "ImrRecommendation",
    "ImrSnapshot",
    "KeyLineOfEnquiry",
    "Notification",
    "Partnership",
    "PartnershipLogo",
    "PartnershipMembership",
    "Person",
    "PublicationDecision",
    "Review",
    "ReviewMembership",
]
