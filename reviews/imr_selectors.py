"""Reads for the IMR narrative: the key lines an agency is asked with its answers, an answer's
history and two of its versions compared, who each key line is asked of, and what changed in a
resubmitted IMR since the chair returned it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

from reports import richtext
from reports.diff import DiffRow, diff_rows, has_changes
from reviews.imr_changes import ImrChanges, imr_changes
from reviews.imr_narrative_services import key_lines_for_agency
from reviews.models import Agency, Imr, ImrAnswer, ImrAnswerRevision, KeyLineOfEnquiry, Review


def answer_html(text: str) -> SafeString:
    """An answer's stored HTML, sanitised again on the way out: only the allowed markup reaches
    the page, whatever put it in the database."""
    return mark_safe(richtext.sanitise(text))  # noqa: S308 - sanitised just now


@dataclass(frozen=True)
class NarrativeLine:
    key_line: KeyLineOfEnquiry
    answer: ImrAnswer | None

    @property
    def html(self) -> SafeString:
        return answer_html(self.answer.text) if self.answer else mark_safe("")

    @property
    def source(self) -> str:
        """The answer's HTML as text (escaped where it is put: the form's text box)."""
        return str(richtext.sanitise(self.answer.text)) if self.answer else ""

    @property
    def version(self) -> int:
        return self.answer.version if self.answer else 0

    @property
    def answered(self) -> bool:
        return bool(self.answer and richtext.plain_text(self.answer.text).strip())


def imr_narrative_lines(imr: Imr) -> list[NarrativeLine]:
    """The key lines asked of the IMR's agency, in order, each with the agency's answer."""
    answers = {answer.key_line_id: answer for answer in imr.answers.select_related("updated_by")}
    return [NarrativeLine(line, answers.get(line.pk)) for line in key_lines_for_agency(imr.review_id, imr.agency_id)]


def imr_answered_lines(imr: Imr) -> list[tuple[KeyLineOfEnquiry, SafeString]]:
    """For the IMR's page: each key line asked of the agency, with its answer as HTML ("" if none)."""
    return [(line.key_line, line.html if line.answered else mark_safe("")) for line in imr_narrative_lines(imr)]


def imr_recommendations_text(imr: Imr) -> str:
    """The recommendations as the narrative form shows them: a paragraph each."""
    return "\n\n".join(imr.recommendations.values_list("text", flat=True))


def answer_for(imr: Imr, key_line: KeyLineOfEnquiry) -> ImrAnswer | None:
    return ImrAnswer.objects.filter(imr=imr, key_line=key_line).select_related("updated_by").first()


@dataclass
class AnswerHistoryItem:
    revision: ImrAnswerRevision


HISTORY_LENGTH = 500  # the newest versions listed; any two of them can be compared


def answer_history(answer: ImrAnswer | None) -> list[AnswerHistoryItem]:
    """Every version of the answer, newest first (each one comparable with any other)."""
    if answer is None:
        return []
    revisions = answer.revisions.select_related("author").only(
        "pk", "version", "author", "created_at", "autosave", "answer_id"
    )
    return [AnswerHistoryItem(revision) for revision in revisions[:HISTORY_LENGTH]]


@dataclass(frozen=True)
class AnswerComparison:
    older: ImrAnswerRevision
    newer: ImrAnswerRevision
    rows: list[DiffRow]
    changed: bool


def answer_comparison(answer: ImrAnswer | None, wanted: tuple[int, int] | None) -> AnswerComparison | None:
    """Two revisions of the answer compared, older first (``wanted`` their ids), or what the
    latest save changed when none are asked for; None when either is not one of its revisions."""
    if answer is None:
        return None
    if wanted is None:  # what the latest save changed (autosaves grouped in the list or not)
        latest = list(answer.revisions.order_by("-version").values_list("pk", flat=True)[:2])
        if len(latest) < 2:
            return None
        wanted = (latest[1], latest[0])
    revisions = {r.pk: r for r in answer.revisions.select_related("author").filter(pk__in=wanted)}
    older, newer = revisions.get(wanted[0]), revisions.get(wanted[1])
    if older is None or newer is None:
        return None
    if older.version > newer.version:
        older, newer = newer, older
    rows = diff_rows(older.text, newer.text)
    return AnswerComparison(older, newer, rows, has_changes(rows))


@dataclass(frozen=True)
class KeyLineAddressing:
    key_line: KeyLineOfEnquiry
    chosen: set[int]  # agency ids; empty: every agency


def key_line_addressing(review: Review) -> tuple[list[KeyLineAddressing], list[Agency]]:
    """Each key line with the agencies it is addressed to, and the agencies that can be chosen:
    those with an IMR in this review (and any a line already names)."""
    lines = list(review.key_lines.prefetch_related("agencies").order_by("position"))
    agency_ids = set(review.imrs.values_list("agency_id", flat=True))
    for line in lines:
        agency_ids |= {agency.pk for agency in line.agencies.all()}
    agencies = list(Agency.objects.filter(pk__in=agency_ids).order_by("name"))
    return [KeyLineAddressing(line, {agency.pk for agency in line.agencies.all()}) for line in lines], agencies


def imr_changes_since_return(imr: Imr) -> ImrChanges | None:
    """For a resubmitted IMR: what changed since the chair last returned it (None when it was
    never returned, or has not been submitted again since)."""
    snapshot = imr.snapshots.order_by("-taken_at", "-pk").first()
    if snapshot is None or imr.status not in Imr.CITABLE_STATUSES:
        return None
    if imr.submitted_at is None or imr.submitted_at < snapshot.taken_at:
        return None
    return imr_changes(imr, snapshot, list(key_lines_for_agency(imr.review_id, imr.agency_id)))


def imr_submit_summary(imr: Imr) -> dict:
    """What the submission page shows before the author confirms: the chronology's size, the key
    lines answered and not, the recommendations and the chair's questions still open."""
    lines = imr_narrative_lines(imr)
    return {
        "entry_count": imr.entries.count(),
        "lines": lines,
        "unanswered": [line.key_line.position for line in lines if not line.answered],
        "recommendation_count": imr.recommendations.count(),
        "open_questions": imr.clarifications.filter(response="").count(),
    }
