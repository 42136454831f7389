"""Reads for documents: the outline with what awaits attention, a section as read and as
compared between versions, the preview, the rendered files and whether each is current, the
references the editor may cite, and the glossary check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from accounts.models import User
from chronology.models import ChronologyEntry
from reports import citations, data_blocks, richtext, suggesting
from reports.compose import ComposedDocument, Footnote, References, document_compose
from reports.diff import DiffRow, diff_rows, has_changes
from reports.models import (
    Comment,
    Document,
    DocumentRender,
    DocumentStatusChange,
    GlossaryTerm,
    Section,
    SectionRevision,
)
from reports.publication_check import PublicationCheck, publication_check
from reports.published_selectors import as_published
from reports.render import current_fingerprints
from reviews.models import Imr, Review

# A comment's passage in section text (reports.richtext.COMMENT_RE as the sanitiser writes it), an
# attribute of a span: words spelling one are not one (their "<" is escaped).
ANCHOR_RE = re.compile(r'<span[^<>]* data-comment="([0-9a-f-]{36})"')
# Capitalised words of two or more letters (and their plurals: "IMRs"); "A&E" and "CP1" too.
_ABBREVIATION_RE = re.compile(r"(?<![\w&])([A-Z][A-Z0-9&]*[A-Z0-9])s?(?![\w&])")
# Common enough that no reader needs them spelled out, or not abbreviations at all.
NOT_ABBREVIATIONS = {"UK", "OK", "TV", "AM", "PM", "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII"}


def sections_outline(document: Document) -> QuerySet[Section]:
    """The document's sections with their open comment threads and whether they hold suggested
    changes not yet accepted or rejected (``suggested``)."""
    # The text itself is not needed here (a long report's sections add up to megabytes).
    return (
        document.sections.select_related("updated_by")
        .defer("body")
        .annotate(
            written=ExpressionWrapper(~Q(body=""), output_field=BooleanField()),
            open_comments=Count("comments", filter=Q(comments__parent=None, comments__resolved_at=None), distinct=True),
            suggested=ExpressionWrapper(Q(body__contains=" data-change="), output_field=BooleanField()),
        )
    )


def comment_threads(section: Section) -> list[Comment]:
    """Threads in order, each with ``thread_replies`` loaded, and ``passage_removed`` for a thread
    pinned to a passage no longer in the text (deleted since): one query."""
    comments = list(section.comments.select_related("author", "resolved_by"))
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    threads = [comment for comment in comments if comment.parent_id is None]
    anchors = set(ANCHOR_RE.findall(section.body)) if any(thread.anchor for thread in threads) else set()
    for thread in threads:
        thread.thread_replies = replies.get(thread.pk, [])
        thread.passage_removed = thread.anchor is not None and str(thread.anchor) not in anchors
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
        text = richtext.REFERENCE_RE.sub(" ", richtext.plain_text(richtext.accepted(section.body)))
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
    found = list(entries.order_by("date_start", "imr__agency__name", "position")[:limit])
    numbers = citations.entry_numbers(review, found)
    return {
        "entries": [
            Citable(
                f"[[entry:{citations.entry_key(entry)}]]",
                citations.entry_label(entry, numbers.get(entry.pk)),
                entry.event or entry.details,
            )  # fmt: skip
            for entry in found
        ],
        "imrs": [
            Citable(f"[[imr:{imr.pk}]]", citations.imr_label(imr))
            for imr in shared.select_related("agency").order_by("agency__name")[:limit]
        ],
        "terms": [Citable(f"[[term:{term.abbreviation}]]", citations.term_label(term)) for term in terms[:limit]],
    }


@dataclass(frozen=True)
class Citable:
    """A reference the editor can insert: its token and the label its chip shows."""

    cite: str  # "[[entry:3fa4…]]"
    label: str  # "#72 · Northshire Police · 12 May 2012"
    summary: str = ""  # what the entry records, to tell entries of one day apart


def change_authors(body: str, *, also: User, section: Section) -> dict[int, str]:
    """{pk: display name} of everyone whose tracked change is in the text, and of ``also`` (the
    person editing, who may add more): one query. Only people of the review (its members, the
    board's administrators, anyone who saved the section): a change claiming another author
    names nobody."""
    pks = suggesting.change_authors(body) - {also.pk}
    review = section.document.review
    ours = (
        Q(review_memberships__review=review)
        | Q(partnership_memberships__partnership=review.partnership_id)
        | Q(pk__in=SectionRevision.objects.filter(section=section).values("author"))
    )
    people = User.objects.filter(ours, pk__in=pks).distinct() if pks else []
    names = {user.pk: user.display_name for user in people}
    return {also.pk: also.display_name, **names}


def reference_labels(review: Review, body: str) -> dict[str, str]:
    """The labels of the references cited in section text, for the editor's chips."""
    return citations.reference_labels(review, body)


def document_status_changes(document: Document, *, limit: int = 20) -> QuerySet[DocumentStatusChange]:
    """The latest changes of the document's status, newest first, with who made them."""
    return document.status_changes.select_related("changed_by")[:limit]


def document_section(document: Document, pk: int) -> Section | None:
    """A section of the document, or None (a new section asked to go after it goes at the end)."""
    return document.sections.filter(pk=pk).first()


@dataclass(frozen=True)
class Preview:
    """The document as it will read, and for the publication version the check of it."""

    composed: ComposedDocument
    check: PublicationCheck | None


def document_preview(document: Document, *, publication: bool) -> Preview:
    """The panel version (names, redactions highlighted) or the publication version, made exactly
    as a render makes it (reports.publication_check, through the one publication pipeline), so the
    preview and the files never disagree."""
    if publication:
        check = publication_check(document)
        return Preview(check.data.composed, check)
    return Preview(document_compose(document), None)


def section_readable(section: Section) -> tuple[list[tuple[int, richtext.Block, str]], list[Footnote]]:
    """One section for reading on screen: (index, block, html with references shown as
    footnote marks and abbreviations) and the section's own footnotes."""
    review = section.document.review
    glossary = dict(GlossaryTerm.objects.filter(review=review).values_list("abbreviation", "expansion"))
    refs = References(review, [section], glossary)
    rows = []
    data = data_blocks.DataBlocks(review, refs.unresolved)
    for index, block in enumerate(richtext.blocks(richtext.accepted(section.body))):
        if data_blocks.token_of(block):
            # A data block reads as what it prints (unnumbered here: the document numbers its paragraphs).
            shown = "".join(part.html for _index, part in data.expand([block], section.title))
            rows.append((index, richtext.Block("div", shown, block.text), refs.replace(shown, section.title)))
        else:
            rows.append((index, block, refs.replace(block.html, section.title)))
    return rows, refs.footnotes


def section_comment(section: Section, pk: int) -> Comment | None:
    """A comment of the section, or None (a reply to none starts a thread)."""
    return Comment.objects.filter(section=section, pk=pk).first()


@dataclass(frozen=True)
class Comparison:
    older: SectionRevision
    newer: SectionRevision
    rows: list[DiffRow]
    changed: bool


def section_comparison(
    section: Section, history: list[HistoryItem], wanted: tuple[int, int] | None
) -> Comparison | None:
    """Two revisions of the section compared, older first, or None when either is not one of
    its revisions. ``wanted`` None (none asked for): what the latest save changed."""
    if wanted is None:
        if len(history) < 2:
            return None
        wanted = (history[1].revision.pk, history[0].revision.pk)
    revisions = {r.pk: r for r in section.revisions.select_related("author").filter(pk__in=wanted)}
    older, newer = revisions.get(wanted[0]), revisions.get(wanted[1])
    if older is None or newer is None:
        return None
    if older.version > newer.version:
        older, newer = newer, older
    rows = diff_rows(older.body, newer.body)
    return Comparison(older, newer, rows, has_changes(rows))


def glossary_terms(review: Review) -> QuerySet[GlossaryTerm]:
    return review.glossary_terms.all()


def render_is_current(row: DocumentRender, current: dict[tuple[bool, bool], dict[str, str]] | None = None) -> bool:
    """Whether a rendered file is of the document as it stands: a superseded publication file is
    no longer offered as a publication version. A file made to be published is compared with the
    document as it will read once published, until it is. ``current`` keeps the document's
    fingerprints (by version, then format) across the rows of one page."""
    current = {} if current is None else current
    ahead = row.as_published and row.document.status != Document.Status.PUBLISHED
    if (row.publication, ahead) not in current:
        document = as_published(row.document) if ahead else row.document
        current[row.publication, ahead] = current_fingerprints(document, publication=row.publication)
    return row.fingerprint == current[row.publication, ahead].get(row.format)


def renders_superseded(rows: list[DocumentRender]) -> list[DocumentRender]:
    """The rows, each with ``superseded``: ready, but made of the document as it was."""
    current: dict[tuple[bool, bool], dict[str, str]] = {}  # the document's fingerprints now, by version and format
    for row in rows:
        row.superseded = row.status == DocumentRender.Status.READY and not render_is_current(row, current)
    return rows


def renders_shown(document: Document, *, with_publication: bool, limit: int) -> list[DocumentRender]:
    """The document's latest rendered files (without their bytes), each marked superseded or
    not; the publication versions only for those who may have them."""
    rows = DocumentRender.objects.filter(document=document).select_related("requested_by")
    if not with_publication:
        rows = rows.filter(publication=False)
    renders = list(rows[:limit])
    for row in renders:
        row.document = document
    return renders_superseded(renders)
