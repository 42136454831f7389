"""Reads for the family reading the draft: the versions of a document its history offers, the
section revisions a version is made of, a version composed from those saved revisions, a family
reader's readings, and the chair's page of readers, comments and responses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from accounts.models import User
from reports.compose import ComposedDocument, document_compose
from reports.family_models import FamilyComment, FamilyReader, FamilyReaderVersion, FamilyResponse
from reports.models import Document, Section, SectionRevision
from reviews.models import Review

# The document kinds a family member is invited to read.
FAMILY_DOCUMENT_KINDS = (Document.Kind.OVERVIEW, Document.Kind.EXECUTIVE_SUMMARY)
# How far back the history offered goes: the latest status changes and typed saves.
HISTORY_CHOICES = 20
NOW = "now"


@dataclass(frozen=True)
class VersionChoice:
    """A moment of a document's history the chair may choose: ``value`` is "now", "status:<pk>"
    (when its status changed) or "saved:<revision pk>" (just after a typed save)."""

    value: str
    label: str
    moment: datetime.datetime | None  # None: as it reads now


def _when(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y at %H:%M}"


def version_choices(document: Document) -> list[VersionChoice]:
    """The versions of ``document`` its history offers, newest first after "as it reads now"."""
    choices = [VersionChoice(NOW, "As it reads now", None)]
    for change in document.status_changes.select_related("changed_by")[:HISTORY_CHOICES]:
        by = f" by {change.changed_by.display_name}" if change.changed_by else ""
        label = f"As it read when moved to {change.get_to_status_display().lower()}, {_when(change.changed_at)}{by}"
        choices.append(VersionChoice(f"status:{change.pk}", label, change.changed_at))
    saves = (
        SectionRevision.objects.filter(section__document=document, autosave=False)
        .select_related("author")
        .only("pk", "title", "version", "created_at", "author__first_name", "author__last_name", "author__username")
        .order_by("-created_at", "-pk")[:HISTORY_CHOICES]
    )
    for revision in saves:
        by = f" by {revision.author.display_name}" if revision.author else ""
        saved = f"“{revision.title}” was saved (version {revision.version})"
        label = f"As it read after {saved}, {_when(revision.created_at)}{by}"
        choices.append(VersionChoice(f"saved:{revision.pk}", label, revision.created_at))
    return choices


def revisions_at(document: Document, moment: datetime.datetime | None) -> list[SectionRevision]:
    """Each section's latest saved revision at ``moment`` (None: now), in the document's order. A
    section with nothing saved by then has no revision, so no place in that version."""
    revisions = SectionRevision.objects.filter(section__document=document).only("pk", "section_id", "version")
    if moment is not None:
        revisions = revisions.filter(created_at__lte=moment)
    latest: dict[int, SectionRevision] = {}
    for revision in revisions.order_by("section_id", "-version"):
        latest.setdefault(revision.section_id, revision)
    order = document.sections.order_by("position", "pk").values_list("pk", flat=True)
    return [latest[pk] for pk in order if pk in latest]


def version_revisions(version: FamilyReaderVersion) -> list[SectionRevision]:
    """The saved revisions a version is made of, in the document's section order."""
    return list(version.revisions.select_related("section").order_by("section__position", "section__pk"))


def version_composed(version: FamilyReaderVersion) -> ComposedDocument:
    """The version as the panel's draft reads (names as the panel wrote them, no publication
    pipeline), composed from the saved revisions rather than the sections as they stand now."""
    document = version.document
    sections = [
        Section(
            pk=revision.section_id,
            document=document,
            title=revision.title,
            kind=revision.section.kind,
            position=revision.section.position,
            body=revision.body,
        )
        for revision in version_revisions(version)
    ]
    return document_compose(document, sections=sections)


def readers_for_user(user: User) -> list[FamilyReader]:
    """Every invitation to read the draft that ``user`` accepted, with its versions."""
    return list(
        FamilyReader.objects.filter(invitation__accepted_by=user)
        .select_related("review", "invitation")
        .prefetch_related(Prefetch("versions", FamilyReaderVersion.objects.select_related("document")))
    )


def is_family_reader(user: User) -> bool:
    """Whether ``user``'s account was made to read the draft (their first page is their reading)."""
    return user.is_authenticated and FamilyReader.objects.filter(invitation__accepted_by=user).exists()


def readers_of_review(review: Review) -> QuerySet[FamilyReader]:
    """The review's family readers, newest first, with their versions and how many comments each left."""
    return (
        FamilyReader.objects.filter(review=review)
        .select_related("invitation__accepted_by", "created_by")
        .prefetch_related(Prefetch("versions", FamilyReaderVersion.objects.select_related("document")))
        .annotate(comment_count=Count("versions__comments"))
    )


def comments_of_review(review: Review) -> QuerySet[FamilyComment]:
    """The family readers' comments on the review's draft, newest first, for the chair."""
    return (
        FamilyComment.objects.filter(version__reader__review=review)
        .select_related("version__reader", "version__document", "author")
        .order_by("-created_at", "-pk")
    )


def comments_on_version(version: FamilyReaderVersion, user: User) -> QuerySet[FamilyComment]:
    """What ``user`` wrote on the version (the reader's own comments, shown back to them)."""
    return FamilyComment.objects.filter(version=version, author=user)


def responses_of_review(review: Review) -> QuerySet[FamilyResponse]:
    return FamilyResponse.objects.filter(review=review).select_related("reader", "recorded_by")


def family_documents(review: Review) -> dict[str, Document]:
    """The review's overview report and executive summary, those it has."""
    return {doc.kind: doc for doc in Document.objects.filter(review=review, kind__in=FAMILY_DOCUMENT_KINDS)}
