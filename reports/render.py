"""Rendering a document for reading outside casereview: the PDF and Word pipeline.

Pure steps after one load from the database (STYLE.md habit 7):

    render_input(document, publication=...) -> RenderInput        (the only step that reads the database)
    document_html(render_input) -> str                            (templates/reports/pdf/document.html)
    casereview.pdf.html_to_pdf(html) -> RenderedPdf               (WeasyPrint, no network)
    reports.docx_render.document_docx(render_input) -> bytes      (python-docx)

and the publication check (the one pipeline, reviews.publication; for a document as a whole,
reports.publication_check) on the composed text before rendering and on the finished file after
it. Storing the file is the caller's job (reports.render_service); ``document_fingerprint`` says
which revision a file is of (reports.selectors.render_is_current: whether a file has been superseded).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html as htmllib
import json
import re
from dataclasses import dataclass, field

from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from actions.models import Action, Milestone
from casereview.code_version import document_render_code_version
from casereview.storage import file_bytes
from chronology.exports.build import export_chronology_data
from chronology.exports.data import ExportChronology
from chronology.integrated.timeline_svg import timeline_svg
from chronology.models import IntegratedChronology
from reports import citations, data_blocks, render_front
from reports.compose import ComposedDocument, document_compose
from reports.docx_comments import RenderComment, comment_state, panel_comments
from reports.models import Document, DocumentRender, GlossaryTerm
from reports.render_appendix import Appendix, action_plan_appendix, chronology_appendix, visible_columns
from reports.richtext import accepted, references
from reviews.labels import DRAFT, PERSONAL_DATA, protective_marking
from reviews.models import Imr, PartnershipLogo, PublicationDecision
from reviews.publication import Publication


@dataclass(frozen=True)
class RenderBlock:
    tag: str
    html: SafeString  # numbered paragraphs carry their number; footnotes inline for WeasyPrint
    number: str


@dataclass
class RenderInput:
    """Everything a rendered document shows, loaded once; the renderers read nothing else."""

    composed: ComposedDocument
    kind_label: str  # "Overview report"
    review_type_label: str  # "Domestic Homicide Review"
    partnership: str
    reference: str
    case_name: str
    status_label: str
    dated: datetime.date
    marking: str  # "" once published, for the publication version
    watermarks: list[str]  # "DRAFT", "Contains personal data"
    # Front matter (reports.render_front): as published for a publication version.
    statutory_line: str = ""  # "Report into the death of ... under section 9 of the ... Act 2004"
    chair: str = ""
    author: str = ""  # the report's author: Review.report_author, else the chair
    month_year: str = ""  # "March 2026", of `dated`
    logo: bytes = b""  # the partnership's logo (PNG or JPEG), if it has one
    logo_type: str = ""  # its content type: "image/png" or "image/jpeg"
    show_contents: bool = True  # False for a short executive summary
    # The overview report's appendices (reports.render_appendix), lettered A, B ...
    appendices: list[Appendix] = field(default_factory=list)
    # The panel's open comment threads, for the panel version's Word file only (reports.docx_comments).
    comments: list[RenderComment] = field(default_factory=list)

    @property
    def publication(self) -> bool:
        return self.composed.publication

    @property
    def title(self) -> str:
        return f"{self.case_name}: {self.review_type_label} {self.kind_label.lower()}"


def marking_for(document: Document, *, publication: bool) -> str:
    """A panel version keeps its marking even once published: it still holds the real names and
    the redacted passages."""
    return protective_marking(published=document.status == Document.Status.PUBLISHED, personal_data=not publication)


def watermarks_for(document: Document, *, publication: bool) -> list[str]:
    marks = []
    if document.status in (Document.Status.DRAFT, Document.Status.PANEL_REVIEW):
        marks.append(DRAFT)
    if not publication:
        marks.append(PERSONAL_DATA)
    return marks


def _cited(review, bodies: list[str]) -> dict:
    """What the footnotes print of each chronology entry and IMR the sections cite: an agency
    may correct an entry after the report cites it, and the footnote changes with it."""
    # The text as accepted: a reference only suggested is in no file.
    cited = {(kind, value) for body in bodies for kind, value in references(accepted(body))}
    imr_ids = sorted({int(value) for kind, value in cited if kind == "imr" and value.isdigit() and len(value) < 19})
    # As the footnotes resolve them (by fingerprint, or by id in a citation from before): an entry
    # of an IMR that is not submitted or accepted is not cited.
    entries = citations.entries_cited(review, {value for kind, value in cited if kind == "entry"})
    imrs = Imr.objects.filter(pk__in=imr_ids, review=review).order_by("pk")
    return {
        "entries": [
            (value, e.pk, e.imr.agency.name, e.date_start, e.date_end, e.precision, e.event, e.details)
            for value, e in sorted(entries.items())
        ],
        "imrs": list(imrs.values_list("pk", "agency__name", "submitted_at")),
    }


def _revision_state(document: Document, *, publication: bool) -> tuple[dict, dict]:
    """Everything a file of the document shows, whatever its format (see document_fingerprint),
    and the readable part of it."""
    review = document.review
    sections = list(document.sections.order_by("position", "pk").values_list("pk", "version", "title", "kind", "body"))
    chronology = (
        IntegratedChronology.objects.filter(review=review, status=IntegratedChronology.Status.READY)
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )
    actions = Action.objects.filter(recommendation__review=review).select_related("recommendation", "lead_agency")
    people = list(
        review.people.order_by("pk").values_list(
            "real_name", "aliases", "designation", "date_of_birth", "confirmed_names"
        )
    )
    state = {
        # The renderers', templates', print CSS's and publication pipeline's code and the writing
        # libraries' versions: a file made by older code is not offered for an unchanged document.
        "renderer": document_render_code_version(),
        "document": [document.pk, document.kind, document.numbering, document.status, document.empty_sections],
        "publication": publication,
        "review": [review.reference, review.case_name, review.review_type, review.partnership.name],
        "sections": [[pk, version, title, kind] for pk, version, title, kind, _body in sections],
        "cited": _cited(review, [body for *_rest, body in sections]),
        "glossary": list(GlossaryTerm.objects.filter(review=review).values_list("abbreviation", "expansion")),
        "recommendations": list(
            review.recommendations.order_by("number", "pk", "agencies__name").values_list(
                "pk", "number", "text", "expected_outcome", "scope", "multi_agency", "agencies__name"
            )
        ),
        # As printed in the action plan: the status is today's (an open action past its date is overdue).
        "actions": sorted(
            [a.pk, a.recommendation.number, a.text, a.lead_agency.name, a.target_date, a.effective_status()]
            for a in actions
        ),
        "people": people,
        # What the [[data:...]] blocks in the text read (reports.data_blocks).
        "data_blocks": data_blocks.revision_state(review, [body for *_rest, body in sections]),
        "chronology": chronology,
        **_front_state(document),
    }
    if not publication:  # a panel Word file carries the comments (reports.docx_comments)
        state["comments"] = comment_state(document)
    if publication:
        state["decisions"] = list(
            PublicationDecision.objects.filter(review=review)
            .order_by("pk")
            .values_list("pk", "kind", "scope", "text_hash", "term_key", "occurrence")
        )
    readable = {
        "status": document.status,
        "numbering": document.numbering,
        "sections": [[pk, version] for pk, version, *_rest in sections],
        "chronology": chronology,
    }
    return state, readable


def _front_state(document: Document) -> dict:
    """What the cover and the appendices print beyond the text (reports.render_front,
    reports.render_appendix): the chair, the author, the panel's roles, the chronology columns
    chosen, and the action plan's milestones and outcomes (its other columns are above)."""
    review = document.review
    return {
        "front": {
            "author": review.report_author,
            "members": list(
                review.memberships.order_by("pk").values_list(
                    "pk", "role", "user__first_name", "user__last_name", "user__username", "panel_role"
                )
            ),
            "chronology_columns": document.chronology_columns,
            "logo": PartnershipLogo.objects.filter(partnership_id=review.partnership_id)
            .values_list("sha256", flat=True)
            .first(),
        },
        "plan": {
            "actions": list(
                Action.objects.filter(recommendation__review=review)
                .order_by("pk")
                .values_list("pk", "completed_on", "outcome")
            ),
            "milestones": list(
                Milestone.objects.filter(action__recommendation__review=review)
                .order_by("pk")
                .values_list("pk", "action_id", "text", "due_date", "done_on")
            ),
        },
    }


def _digest(state: dict, fmt: str) -> str:
    return hashlib.sha256(json.dumps({**state, "format": fmt}, default=str, sort_keys=True).encode()).hexdigest()


def document_fingerprint(document: Document, *, fmt: str, publication: bool) -> tuple[str, dict]:
    """Which revision a render is of: the same fingerprint means the same file would be made.
    Returns the fingerprint and the readable part of it (sections and their versions).

    Everything the file shows is in it: the sections, the glossary, the recommendations and
    actions as printed, the chronology entries cited, the case and partnership names, the
    person register, the renderer's and the publication pipeline's code, and for a
    publication version the chair's publication decisions (acknowledgements and redactions)."""
    state, readable = _revision_state(document, publication=publication)
    return _digest(state, fmt), readable


def current_fingerprints(document: Document, *, publication: bool) -> dict[str, str]:
    """The fingerprint of the document as it stands, for each format (loaded once for all)."""
    state, _readable = _revision_state(document, publication=publication)
    return {fmt: _digest(state, fmt) for fmt in DocumentRender.Format.values}


def _document_date(document: Document) -> datetime.date:
    """The date of this version: the last change to its text or its status."""
    last_saved = document.sections.aggregate(last=Max("updated_at"))["last"]
    moments = [m for m in (last_saved, document.status_changed_at, document.created_at) if m]
    return timezone.localdate(max(moments)) if moments else timezone.localdate()


def _chronology_appendix(document: Document) -> tuple[ExportChronology | None, str]:
    chronology = (
        IntegratedChronology.objects.filter(review=document.review, status=IntegratedChronology.Status.READY)
        .select_related("review__partnership")
        .order_by("-version")
        .first()
    )
    if chronology is None:
        return None, ""
    data = export_chronology_data(chronology, names="real")
    return data, timeline_svg(data, width=1000)


def render_input(document: Document, *, publication: bool, run: Publication | None = None) -> RenderInput:
    """Load everything the document shows. The overview report carries the appendices: the
    integrated chronology and its timeline when built, the action plan when there is one.

    A publication version leaves the integrated chronology out: it is the agencies' records
    entry by entry (dates of birth, addresses, who rang whom), which published reviews summarise
    in the text as key episodes rather than print."""
    review = document.review
    composed = document_compose(document, publication=publication, run=run)
    appendices = _appendices(document, composed) if document.kind == Document.Kind.OVERVIEW else []
    dated = _document_date(document)
    chair, author = render_front.cover_people(review, composed.run)
    logo_row = PartnershipLogo.objects.filter(partnership_id=review.partnership_id).first()
    logo = (file_bytes(logo_row.file, sha256=logo_row.sha256), logo_row.content_type) if logo_row else None
    review_type_label = review.get_review_type_display()
    return RenderInput(
        composed=composed,
        kind_label=document.get_kind_display(),
        review_type_label=review_type_label,
        partnership=review.partnership.name,
        reference=review.reference,
        case_name=composed.case_name,
        status_label=document.get_status_display(),
        dated=dated,
        marking=marking_for(document, publication=publication),
        watermarks=watermarks_for(document, publication=publication),
        statutory_line=render_front.statutory_line(review.review_type, review_type_label, composed.case_name),
        chair=chair,
        author=author,
        month_year=render_front.month_year(dated),
        show_contents=render_front.show_contents(composed),
        logo=bytes(logo[0]) if logo else b"",
        logo_type=logo[1] if logo else "",
        appendices=appendices,
        comments=[] if publication else panel_comments(document),
    )


def _appendices(document: Document, composed: ComposedDocument) -> list[Appendix]:
    """The overview report's appendices in order: the integrated chronology (panel version), the
    action plan (when the review has recommendations)."""
    appendices: list[Appendix] = []
    chronology, svg = (None, "") if composed.publication else _chronology_appendix(document)
    if chronology is not None:
        appendices.append(
            chronology_appendix(chr(ord("A") + len(appendices)), chronology, svg, document.chronology_columns)
        )
    plan = action_plan_appendix(
        chr(ord("A") + len(appendices)), document.review, today=timezone.localdate(), run=composed.run
    )
    if plan is not None:
        appendices.append(plan)
    return appendices


# compose writes a reference as a link to the notes at the end (right on screen); on paper it
# becomes a footnote at the foot of the page where it is first cited.
FOOTNOTE_REF_RE = re.compile(r'<sup class="footnote-ref"><a href="#fn-(\d+)">\d+</a></sup>')
_OPENING_P_RE = re.compile(r"^<p(\s[^>]*)?>")


def _print_blocks(composed: ComposedDocument, section_blocks, seen: set[int]) -> list[RenderBlock]:
    notes = {note.number: note.text for note in composed.footnotes}

    def footnote(match: re.Match[str]) -> str:
        number = int(match.group(1))
        if number in seen:
            # Cited again: the same number, pointing at the note already at the foot of a page.
            return f'<sup class="footnote-again">{number}</sup>'
        seen.add(number)
        return f'<span class="footnote">{htmllib.escape(notes.get(number, ""))}</span>'

    out = []
    for block in section_blocks:
        value = FOOTNOTE_REF_RE.sub(footnote, block.heading_html)  # a heading numbered, one level down
        if block.number:
            label = f'<span class="para-number">{htmllib.escape(block.number)}</span>'
            opening = _OPENING_P_RE.match(value)
            if opening:
                value = f'<p class="numbered"{opening.group(1) or ""}>{label}' + value[opening.end() :]
        out.append(RenderBlock(block.tag, mark_safe(value), block.number))  # noqa: S308 (sanitised on save)
    return out


def document_html(data: RenderInput) -> str:
    """The print HTML of a document, for WeasyPrint."""
    seen: set[int] = set()
    sections = [
        {"section": section, "blocks": _print_blocks(data.composed, section.blocks, seen)}
        for section in data.composed.sections
    ]
    return render_to_string(
        "reports/pdf/document.html",
        {
            "d": data,
            "sections": sections,
            "appendices": [_printed_appendix(appendix) for appendix in data.appendices],
            "logo_src": _logo_src(data),
        },
    )


def _printed_appendix(appendix: Appendix) -> dict:
    """An appendix as the PDF prints it: the columns some row fills, widths in per cent."""
    columns = visible_columns(appendix)
    total = sum(appendix.widths[index] for index in columns) or 1
    classes = appendix.row_classes or [""] * len(appendix.rows)
    return {
        "id": appendix.letter.lower(),
        "kind": slugify(appendix.title),
        "letter": appendix.letter,
        "title": appendix.title,
        "note": appendix.note,
        "landscape": appendix.landscape,
        "figure_svg": mark_safe(appendix.figure_svg),  # noqa: S308 (drawn by us, every text escaped)
        "figure_alt": appendix.figure_alt,
        "headers": [appendix.headers[index] for index in columns],
        "widths": [f"{100 * appendix.widths[index] / total:.2f}" for index in columns],
        "rows": [
            {"cells": [row[index] for index in columns], "classes": row_class}
            for row, row_class in zip(appendix.rows, classes, strict=False)
        ],
    }


def _logo_src(data: RenderInput) -> str:
    if not data.logo or data.logo_type not in ("image/png", "image/jpeg"):
        return ""
    return f"data:{data.logo_type};base64,{base64.b64encode(data.logo).decode('ascii')}"
