"""Reads for documents: the outline with what awaits attention, history, and the glossary check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from chronology.models import ChronologyEntry
from reports import richtext
from reports.models import Comment, Document, GlossaryTerm, Section, SectionRevision, Suggestion
from reviews.models import Imr, Review

# Capitalised words of two or more letters (and their plurals: "IMRs"); "A&E" and "CP1" too.
_ABBREVIATION_RE = re.compile(r"(?<![\w&])([A-Z][A-Z0-9&]*[A-Z0-9])s?(?![\w&])")
# Common enough that no reader needs them spelled out, or not abbreviations at all.
NOT_ABBREVIATIONS = {"UK", "OK", "TV", "AM", "PM", "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII"}


def sections_outline(document: Document) -> QuerySet[Section]:
    """The document's sections with their open comment threads and open suggestions."""
    # The text itself is not needed here (a long report's sections add up to megabytes).
    return (
        document.sections.select_related("updated_by")
        .defer("body")
        .annotate(
            written=ExpressionWrapper(~Q(body=""), output_field=BooleanField()),
            open_comments=Count("comments", filter=Q(comments__parent=None, comments__resolved_at=None), distinct=True),
            open_suggestions=Count("suggestions", filter=Q(suggestions__status=Suggestion.Status.OPEN), distinct=True),
        )
    )


def comment_threads(section: Section) -> list[Comment]:
    """Threads in order, each with ``thread_replies`` loaded: two queries."""
    comments = list(section.comments.select_related("author", "resolved_by"))
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    threads = [comment for comment in comments if comment.parent_id is None]
    for thread in threads:
        thread.thread_replies = replies.get(thread.pk, [])
    return threads


@dataclass
class HistoryItem:
    """One line of the history: a typed save, or a run of autosaves by one person."""

    revision: SectionRevision  # the latest in the run
    autosaves: int = 0
    first_version: int = 0


def section_history(section: Section) -> list[HistoryItem]:
    """Newest first. Consecutive autosaves by the same person are one line (they are kept
    one by one, and any of them can still be compared or restored)."""
    items: list[HistoryItem] = []
    for revision in section.revisions.select_related("author").only(
        "pk", "version", "title", "author", "created_at", "autosave", "note", "section_id"
    ):
        last = items[-1] if items else None
        if (
            last is not None
            and revision.autosave
            and last.revision.autosave
            and last.revision.author_id == revision.author_id
            and not last.revision.note
        ):
            last.autosaves += 1
            last.first_version = revision.version
            continue
        items.append(HistoryItem(revision, autosaves=1 if revision.autosave else 0, first_version=revision.version))
    return items


@dataclass
class MissingAbbreviation:
    abbreviation: str
    count: int = 0
    places: list[str] = field(default_factory=list)  # "Overview report, 4. Terms of reference"


def abbreviations_missing(review: Review) -> list[MissingAbbreviation]:
    """Abbreviations used in the review's documents that its glossary does not explain."""
    known = {term.upper() for term in GlossaryTerm.objects.filter(review=review).values_list("abbreviation", flat=True)}
    found: dict[str, MissingAbbreviation] = {}
    sections = (
        Section.objects.filter(document__review=review)
        .select_related("document")
        .order_by("document__kind", "position")
    )
    for section in sections:
        text = richtext.REFERENCE_RE.sub(" ", richtext.plain_text(section.body))
        text = f"{section.title}\n{text}"
        for match in _ABBREVIATION_RE.finditer(text):
            word = match.group(1)
            if len(word) < 2 or word in NOT_ABBREVIATIONS or word.upper() in known:
                continue
            item = found.setdefault(word, MissingAbbreviation(word))
            item.count += 1
            place = f"{section.document.get_kind_display()}, {section.position}. {section.title}"
            if place not in item.places:
                item.places.append(place)
    return sorted(found.values(), key=lambda item: item.abbreviation)


def documents_for_review(review: Review) -> dict[str, Document]:
    return {document.kind: document for document in Document.objects.filter(review=review)}


def reference_candidates(review: Review, query: str, *, limit: int = 20) -> dict:
    """What the chair can cite: chronology entries of submitted or accepted IMRs, the IMRs the
    panel may read, and the glossary, matching ``query``."""
    # As typed in a search box: PostgreSQL refuses a NUL in a query, and nothing cited is longer.
    query = query.replace("\x00", "").strip()[:200]
    shared = Imr.objects.filter(review=review, status__in=Imr.SHARED_STATUSES)
    citable = ChronologyEntry.objects.filter(imr__review=review, imr__status__in=Imr.CITABLE_STATUSES)
    entries = citable.select_related("imr__agency")
    terms = GlossaryTerm.objects.filter(review=review)
    if query:
        entries = entries.filter(
            Q(details__icontains=query) | Q(event__icontains=query) | Q(date_display__icontains=query)
            | Q(imr__agency__name__icontains=query)
        )  # fmt: skip
        terms = terms.filter(Q(abbreviation__icontains=query) | Q(expansion__icontains=query))
        shared = shared.filter(agency__name__icontains=query)
    return {
        "entries": list(entries.order_by("date_start", "imr__agency__name", "position")[:limit]),
        "imrs": list(shared.select_related("agency").order_by("agency__name")[:limit]),
        "terms": list(terms[:limit]),
    }
