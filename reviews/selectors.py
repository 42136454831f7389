"""Reads for the reviews app."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from casereview.spreadsheets import spreadsheet_safe
from reviews.models import (
    Agency,
    AuditEntry,
    Imr,
    KeyLineOfEnquiry,
    Partnership,
    PartnershipLogo,
    PartnershipMembership,
    Person,
    Review,
    ReviewMembership,
)
from reviews.permissions import BOARD_ADMIN, ReviewAccess
from reviews.publication import Person as RegisteredPerson
from reviews.publication import Register, fold_key, normalise
from reviews.publication.words import english_words_in


@dataclass(frozen=True)
class ReviewRow:
    review: Review
    role_labels: list[str]
    imr_total: int
    imr_done: int


def reviews_for_user(user: User) -> list[ReviewRow]:
    """Every review the user holds a role in, directly or as a board administrator, with
    the roles and IMR progress. Three queries, whatever the number of reviews."""
    admin_partnership_ids = set(
        PartnershipMembership.objects.filter(user=user, role=PartnershipMembership.Role.BOARD_ADMIN).values_list(
            "partnership_id", flat=True
        )
    )
    roles: dict[int, set[str]] = defaultdict(set)
    for review_id, role in ReviewMembership.objects.filter(user=user).values_list("review_id", "role"):
        roles[review_id].add(role)
    # Each review's IMRs are counted by a subquery on its own IMRs (the review's index), not by a
    # join and GROUP BY that reads the IMRs of every review in the service.
    imrs = Imr.objects.filter(review=OuterRef("pk")).order_by().values("review")
    done = imrs.filter(status__in=[Imr.Status.ACCEPTED, Imr.Status.NIL_RETURN])
    reviews = (
        Review.objects.filter(Q(pk__in=roles.keys()) | Q(partnership_id__in=admin_partnership_ids))
        .select_related("partnership")
        .annotate(
            imr_total=Coalesce(Subquery(imrs.annotate(n=Count("pk")).values("n")), 0),
            imr_done=Coalesce(Subquery(done.annotate(n=Count("pk")).values("n")), 0),
        )
        .order_by("-created_at", "reference")
    )
    labels = dict(ReviewMembership.Role.choices) | {BOARD_ADMIN: "Board administrator"}
    rows = []
    for review in reviews:
        review_roles = set(roles.get(review.pk, ()))
        if review.partnership_id in admin_partnership_ids:
            review_roles.add(BOARD_ADMIN)
        rows.append(
            ReviewRow(
                review=review,
                role_labels=[labels[role] for role in sorted(review_roles)],
                imr_total=review.imr_total,
                imr_done=review.imr_done,
            )
        )
    return rows


def imrs_visible(access: ReviewAccess) -> QuerySet[Imr]:
    """The review's IMRs this user may see: all of them for the panel, their own agency's
    for an IMR author, none for anyone else."""
    imrs = Imr.objects.filter(review=access.review).select_related("agency", "author").order_by("agency__name")
    if access.is_panel:
        return imrs
    return imrs.filter(agency_id__in=access.imr_author_agency_ids)


# Chair first, then the panel, then the people who act for an agency.
ROLE_ORDER = Case(
    *(When(role=role, then=Value(position)) for position, role in enumerate(ReviewMembership.Role.values)),
    output_field=IntegerField(),
)


def memberships_for_review(review: Review) -> QuerySet[ReviewMembership]:
    return (
        ReviewMembership.objects.filter(review=review)
        .select_related("user", "agency")
        .order_by(ROLE_ORDER, "agency__name", "user__last_name", "user__first_name")
    )


def board_admins_for(partnership: Partnership) -> QuerySet[User]:
    return User.objects.filter(
        partnership_memberships__partnership=partnership,
        partnership_memberships__role=PartnershipMembership.Role.BOARD_ADMIN,
    ).order_by("last_name", "first_name")


@dataclass(frozen=True)
class CheckedPart:
    """A forename or surname the publication check looks for on its own."""

    text: str
    kind: str  # "forename" or "surname"
    english: bool  # also an ordinary English word: only its capitalised uses are found


@dataclass(frozen=True)
class RegisterRow:
    person: Person
    parts: list[CheckedPart]


def register_rows(people: list[Person] | QuerySet[Person]) -> list[RegisterRow]:
    """Each person with the parts of their name the publication check looks for (the pipeline's
    own Register, reviews.publication), so the chair sees what is checked and what is found only
    where it is capitalised."""
    rows = []
    for person in people:
        registered = RegisteredPerson(
            person.real_name, tuple(person.aliases or ()), person.designation or "-",
            confirmed=tuple(person.confirmed_names or ()),
        )  # fmt: skip
        parts = [
            CheckedPart(term.text, term.kind, term.english)
            for term in Register([registered]).checked_terms
            if term.kind in ("forename", "surname")
        ]
        rows.append(RegisterRow(person, parts))
    return rows


def person_warnings(person: Person) -> list[str]:
    """What the chair should know about a name or alias that is also ordinary English ("Will",
    "Hope"): a warning, not a refusal. The publication check finds only its capitalised uses, and
    a single such word is never replaced by the designation, only found for a person to decide."""
    warnings = []
    confirmed = {fold_key(text) for text in person.confirmed_names or ()}
    for kind, text in [("name", person.real_name), *(("alias", alias) for alias in person.aliases or ())]:
        words = [word for word in english_words_in(text) if fold_key(word) not in confirmed or " " in text.strip()]
        if not words or fold_key(text) in confirmed:
            continue
        quoted = " and ".join(f"“{word}”" for word in words)
        noun = "an ordinary English word" if len(words) == 1 else "ordinary English words"
        warnings.append(
            f"In the {kind} “{text}”, {quoted} {'is' if len(words) == 1 else 'are'} also {noun}: publication checks "
            "find only capitalised uses, and never replace such a word on its own, so read each finding "
            "(or say below that it always means this person)."
        )
    return warnings


VIEW_ACTIONS = (".viewed", ".history_viewed", ".downloaded", ".exported")


@dataclass(frozen=True)
class AuditFilters:
    """What the audit page is narrowed to; read from the query string, so a filtered view can
    be bookmarked and exported as it is."""

    who: str = ""
    action: str = ""
    kind: str = ""  # "" (everything), "changes" or "views"
    since: datetime.date | None = None
    until: datetime.date | None = None

    @classmethod
    def from_query(cls, params) -> AuditFilters:
        def day(name: str) -> datetime.date | None:
            try:
                return datetime.date.fromisoformat(params.get(name, ""))
            except ValueError:
                return None

        kind = params.get("kind", "")
        return cls(
            who=normalise(params.get("who", "")).strip()[:100],
            action=normalise(params.get("action", "")).strip()[:80],
            kind=kind if kind in ("changes", "views") else "",
            since=day("from"),
            until=day("to"),
        )

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        if self.who:
            entries = entries.filter(actor_name__icontains=self.who)
        if self.action:
            entries = entries.filter(action__icontains=self.action)
        views = Q()
        for suffix in VIEW_ACTIONS:
            views |= Q(action__endswith=suffix)
        if self.kind == "views":
            entries = entries.filter(views)
        elif self.kind == "changes":
            entries = entries.exclude(views)
        if self.since:
            entries = entries.filter(created_at__date__gte=self.since)
        if self.until:
            entries = entries.filter(created_at__date__lte=self.until)
        return entries


def audit_entries_for_review(review: Review) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(review=review).order_by("-created_at", "-id")


def audit_entries_for_partnership(partnership: Partnership) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(partnership=partnership).select_related("review").order_by("-created_at", "-id")


def partnership_agencies(partnership: Partnership) -> QuerySet[Agency]:
    """The partnership's agency directory, by name."""
    return partnership.agencies.order_by("name")


def review_key_lines(review: Review, access: ReviewAccess | None = None) -> QuerySet[KeyLineOfEnquiry]:
    """The review's key lines of enquiry, each with the agencies it is addressed to; for someone
    outside the panel (``access``), only those asked of every agency or of their own."""
    lines = review.key_lines.prefetch_related("agencies")
    if access is not None and not access.is_panel:
        own = Q(agencies__isnull=True) | Q(agencies__in=access.imr_author_agency_ids)
        lines = lines.filter(own).distinct().order_by("position")
    return lines


def review_people(review: Review) -> QuerySet[Person]:
    """The review's person register (its model's order)."""
    return review.people.all()


def review_documents(review: Review) -> QuerySet:
    """The review's documents (overview report, executive summary), for its overview page."""
    return review.documents.all()


def audit_entries_csv(entries: QuerySet[AuditEntry]) -> bytes:
    """The audit entries as CSV (UTF-8 with a byte order mark, so Excel reads it as UTF-8), every
    cell safe to open in a spreadsheet."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads the file as UTF-8 only with a byte order mark
    writer = csv.writer(buffer)
    writer.writerow(["When", "Who", "Action", "Object type", "Object id", "What", "Review", "Detail"])
    for entry in entries.select_related("review").iterator(chunk_size=2000):
        writer.writerow(
            spreadsheet_safe(value)
            for value in (
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor_name,
                entry.action,
                entry.object_type,
                entry.object_id,
                entry.object_repr,
                entry.review.reference if entry.review else "",
                json.dumps(entry.detail, ensure_ascii=False, sort_keys=True),
            )
        )
    return buffer.getvalue().encode("utf-8")


def imr_content(imr: Imr, review: Review) -> dict[str, Any]:
    """What the IMR's page shows of its content: each key line asked of the agency with its
    answer (rich text), its recommendations, the questions asked about its chronology, and how
    many entries it has."""
    from reviews.imr_selectors import imr_answered_lines  # the narrative's reads live there

    return {
        "answered_lines": imr_answered_lines(imr),
        "recommendations": imr.recommendations.all(),
        "clarifications": imr.clarifications.select_related("entry", "asked_by", "responded_by"),
        "entry_count": imr.entries.count(),
        "significant_count": imr.entries.filter(significant=True).count(),
    }


def imr_entries(imr: Imr) -> list[Any]:
    """The IMR's chronology in its order, for the chair to ask about each entry."""
    return list(imr.entries.order_by("date_start", "time", "position"))


def partnership_logo_summary(partnership: Partnership) -> PartnershipLogo | None:
    """What the partnership's logo is (its type and when it was saved), not the picture itself."""
    return PartnershipLogo.objects.filter(partnership=partnership).only("content_type", "updated_at").first()
