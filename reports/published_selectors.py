"""Reads for publishing: the files a document is published with and which of them are made for
the document as it will read once published, and the publications kept (a document's, a
partnership's), each with its frozen files (reports.models.Publication, PublishedArtefact)."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from reports.models import Document, DocumentRender, Publication, PublishedArtefact
from reports.render import current_fingerprints
from reviews.models import Partnership, Review

# The publication files a document is published with, frozen as they are at that moment: the
# PDF, the Word file and the web pages; a learning briefing, its PDF (the A4 handout) and its slides.
PUBLISHED_FORMATS: tuple[str, ...] = (
    DocumentRender.Format.PDF,
    DocumentRender.Format.DOCX,
    DocumentRender.Format.HTML,
)
FORMATS_BY_KIND: dict[str, tuple[str, ...]] = {
    Document.Kind.LEARNING_BRIEFING: (DocumentRender.Format.PDF, DocumentRender.Format.SLIDES),
}


def published_formats(document: Document) -> tuple[str, ...]:
    return FORMATS_BY_KIND.get(document.kind, PUBLISHED_FORMATS)


def as_published(document: Document) -> Document:
    """The document as it will read once published: its status (the marking a published file
    carries) and the date of this version. A copy: the row itself is not changed."""
    published = copy.copy(document)
    published.status = Document.Status.PUBLISHED
    if document.status != Document.Status.PUBLISHED:
        published.status_changed_at = timezone.now()
    return published


@dataclass(frozen=True)
class PublicationFile:
    """One format a document is published in, and its newest file for the document as it will
    read once published (None: not asked for yet)."""

    format: str
    label: str
    row: DocumentRender | None

    @property
    def ready(self) -> bool:
        return self.row is not None and self.row.status == DocumentRender.Status.READY


def publication_files(document: Document) -> list[PublicationFile]:
    """For each published format, the newest publication render of the document as it will
    read once published (a ready one first)."""
    formats = published_formats(document)
    fingerprints = current_fingerprints(as_published(document), publication=True)
    rows = list(
        DocumentRender.objects.filter(
            document=document, publication=True, fingerprint__in=[fingerprints[fmt] for fmt in formats]
        ).order_by("-pk")
    )
    files = []
    for fmt in formats:
        mine = [row for row in rows if row.format == fmt and row.fingerprint == fingerprints[fmt]]
        ready = [row for row in mine if row.status == DocumentRender.Status.READY]
        row = next(iter(ready or mine), None)
        if row is not None:
            row.document = document
        files.append(PublicationFile(fmt, DocumentRender.Format(fmt).label, row))
    return files


def _with_artefacts(publications: QuerySet[Publication]) -> QuerySet[Publication]:
    artefacts = PublishedArtefact.objects.order_by("pk")
    return publications.select_related("published_by", "superseded_by", "review").prefetch_related(
        Prefetch("artefacts", queryset=artefacts)
    )


def publications_for_document(document: Document) -> list[Publication]:
    """The document's publications, newest first: the one in force and every one superseded."""
    return list(_with_artefacts(Publication.objects.filter(document=document)))


def publications_for_partnership(partnership: Partnership) -> list[Publication]:
    """Every publication of the partnership's reviews (kept after a purge), newest first."""
    rows = Publication.objects.filter(review__partnership=partnership).order_by(
        "review__reference", "document_kind", "-published_at", "-pk"
    )
    return list(_with_artefacts(rows))


def publication_of_review(review: Review, pk: int) -> Publication | None:
    return _with_artefacts(Publication.objects.filter(review=review, pk=pk)).first()


def artefact_of_publication(publication: Publication, pk: int) -> PublishedArtefact | None:
    """The file with its bytes, for download."""
    return PublishedArtefact.objects.filter(publication=publication, pk=pk).first()


@dataclass(frozen=True)
class ReviewPublished:
    """A review on the "Published reviews" page: its publications, newest first."""

    review: Review
    publications: list[Publication]

    @property
    def published_at(self) -> datetime.datetime:
        """When the review was first published (its earliest publication)."""
        return min(publication.published_at for publication in self.publications)

    @property
    def in_force(self) -> list[Publication]:
        return [publication for publication in self.publications if publication.in_force]


def by_review(publications: list[Publication]) -> list[ReviewPublished]:
    """The publications grouped by review, the review published most recently first."""
    grouped: dict[int, list[Publication]] = {}
    reviews: dict[int, Review] = {}
    for publication in publications:
        grouped.setdefault(publication.review_id, []).append(publication)
        reviews[publication.review_id] = publication.review
    rows = [
        ReviewPublished(reviews[pk], sorted(items, key=lambda p: (p.published_at, p.pk), reverse=True))
        for pk, items in grouped.items()
    ]
    return sorted(rows, key=lambda row: max(p.published_at for p in row.publications), reverse=True)


def report_shown(report: dict) -> dict:
    """The publication report kept with a publication, its moments as dates to print."""
    shown = {**report, "prepared_at": parse_datetime(report.get("prepared_at") or "")}
    shown["document"] = {**report.get("document", {})}
    shown["document"]["dated"] = parse_date(shown["document"].get("dated") or "")
    for key in ("acknowledgements", "confirmations", "redactions"):
        shown[key] = [{**item, "at": parse_datetime(item.get("at") or "")} for item in report.get(key, [])]
    return shown


def artefacts_in_force(review: Review) -> list[PublishedArtefact]:
    """The frozen files (with their bytes) of each of the review's publications in force, by
    document and format: what the review has published, as it was published."""
    return list(
        PublishedArtefact.objects.filter(publication__review=review, publication__superseded_at__isnull=True)
        .select_related("publication")
        .order_by("publication__document_kind", "format", "pk")
    )
