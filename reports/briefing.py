"""A learning briefing written from the review when it is made (seed 003's shape, the "7-minute
briefing"): what the review holds is placed as live data blocks (reports.data_blocks: the terms of
reference and key lines of enquiry, the key episodes, the actions), so it is never retyped and
follows the review; the overview report's findings and learning points (<p data-style="finding">,
<p data-style="learning-point">) and its case summary are copied as text the chair edits. The
sections follow reports.layouts.BRIEFING_PARTS; the chair refines them in the editor."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from reports import richtext
from reports.compose_structure import block_style
from reports.layouts import BRIEFING_PARTS
from reports.models import Document, Section, SectionRevision
from reviews.models import Imr, Review

NOTE = "Written from the review's data and documents"
# Citations of chronology entries and IMRs are the report's footnotes; a briefing has none.
CITATION_RE = re.compile(r"\s?\[\[(?:entry|imr):[^\[\]\s]{1,60}\]\]")
# Where the overview report (or the executive summary) tells the case and, without styled
# paragraphs, its findings and its learning: words of its sections' titles, in order of preference.
SUMMARY_TITLES = ("summary of the case", "case summary", "the case", "background", "overview")  # the title's start
FINDINGS_TITLES = ("findings", "key issues", "analysis", "conclusions")
LEARNING_TITLES = ("lessons", "learning", "key learning")
SUMMARY_PARAGRAPHS = 2
FALLBACK_BLOCKS = 5


@dataclass(frozen=True)
class SourceSection:
    """A section of the overview report or executive summary, as accepted."""

    title: str
    blocks: list[richtext.Block]


def _e(value: object) -> str:
    return htmllib.escape(str(value), quote=False)


def _date(value) -> str:
    return f"{value:%-d %B %Y}"


def _copied(block: richtext.Block) -> str:
    """A paragraph as the briefing keeps it: its words, style and marks, without its citations."""
    return CITATION_RE.sub("", block.html)


def _sources(review: Review) -> list[SourceSection]:
    """The overview report's sections, then the executive summary's, as accepted."""
    rows = (
        Section.objects.filter(
            document__review=review, document__kind__in=[Document.Kind.OVERVIEW, Document.Kind.EXECUTIVE_SUMMARY]
        )
        .order_by("-document__kind", "position", "pk")  # "overview" before "executive_summary"
        .values_list("title", "body")
    )
    return [SourceSection(title, richtext.blocks(richtext.accepted(body))) for title, body in rows]


def _styled(sources: list[SourceSection], style: str) -> list[str]:
    """Every paragraph of the overview report styled so, in order (the executive summary's only
    when the overview report has none)."""
    found: list[str] = []
    seen: set[str] = set()
    for source in sources:
        for block in source.blocks:
            if block.tag == "p" and block_style(block.html) == style and block.text not in seen:
                seen.add(block.text)
                found.append(_copied(block))
    return found


def _first_section(sources: list[SourceSection], words: tuple[str, ...]) -> SourceSection | None:
    for word in words:
        for source in sources:
            if source.title.lower().startswith(word) and any(block.text.strip() for block in source.blocks):
                return source
    return None


def _opening(sources: list[SourceSection], words: tuple[str, ...], count: int) -> list[str]:
    """The first paragraphs (or lists) of the first section whose title has one of the words."""
    source = _first_section(sources, words)
    if source is None:
        return []
    kept = [block for block in source.blocks if block.tag in ("p", "ul", "ol") and block.text.strip()]
    return [_copied(block) for block in kept[:count]]


def _summary(review: Review, sources: list[SourceSection]) -> str:
    copied = _opening(sources, SUMMARY_TITLES, SUMMARY_PARAGRAPHS)
    if copied:
        return "".join(copied)
    return (
        f"<p>{_e(review.case_name)}: a {_e(review.get_review_type_display().lower())} commissioned by "
        f"{_e(review.partnership.name)}. Write here, in a few sentences, what happened and why the case was "
        "reviewed.</p>"
    )


def _methodology(review: Review, _sources: list[SourceSection]) -> str:
    imrs = list(Imr.objects.filter(review=review).values_list("status", flat=True))
    written = sum(1 for status in imrs if status != Imr.Status.NIL_RETURN)
    agencies = f" {len(imrs)} agencies were asked for their records; {written} wrote an IMR." if imrs else ""
    return (
        f"<p>The review looked at agencies' involvement from {_date(review.scope_start)} to "
        f"{_date(review.scope_end)}.{agencies} Its key lines of enquiry:</p>"
        "<p>[[data:key-lines]]</p>"
    )


def _episodes(_review: Review, _sources: list[SourceSection]) -> str:
    return "<p>The key episodes the review looked at:</p><p>[[data:key-episodes]]</p>"


def _findings(_review: Review, sources: list[SourceSection]) -> str:
    return "".join(_styled(sources, "finding") or _opening(sources, FINDINGS_TITLES, FALLBACK_BLOCKS))


def _learning(_review: Review, sources: list[SourceSection]) -> str:
    return "".join(_styled(sources, "learning-point") or _opening(sources, LEARNING_TITLES, FALLBACK_BLOCKS))


def _recommendations(_review: Review, _sources: list[SourceSection]) -> str:
    # The recommendations themselves follow as the section's table, as they stand when rendered.
    return "<p>The review's recommendations to the partnership and its agencies:</p>"


def _response(review: Review, _sources: list[SourceSection]) -> str:
    # The actions as they stand when rendered: agreed after the briefing is written, they appear.
    return (
        f"<p>{_e(review.partnership.name)} accepted the recommendations and agreed these actions; their progress "
        "is reported to the board.</p><p>[[data:actions]]</p>"
    )


WRITERS: dict[str, Callable[[Review, list[SourceSection]], str]] = {
    "summary": _summary,
    "methodology": _methodology,
    "episodes": _episodes,
    "findings": _findings,
    "learning": _learning,
    "recommendations": _recommendations,
    "response": _response,
}


def briefing_texts(review: Review) -> list[str]:
    """The text of each part of a new briefing, in the order of BRIEFING_PARTS."""
    sources = _sources(review)
    return [richtext.sanitise(WRITERS[part](review, sources)) for part in BRIEFING_PARTS]


def briefing_write(*, document: Document, actor: User) -> None:
    """Write a new briefing's sections (made empty from its layout, in BRIEFING_PARTS order) as
    their first version, each kept in the section's history. Inside document_create's transaction."""
    sections = list(document.sections.order_by("position", "pk"))
    now = timezone.now()
    for section, body in zip(sections, briefing_texts(document.review), strict=False):
        if not body:
            continue
        section.body, section.version, section.updated_at, section.updated_by = body, 1, now, actor
        section.save(update_fields=["body", "version", "updated_at", "updated_by"])
        SectionRevision.objects.create(
            section=section, version=1, title=section.title, body=body, author=actor, note=NOTE
        )
