"""A document as it will be read: sections numbered, paragraphs numbered (continuously or per
section), references turned into footnotes, glossary terms expanded, recommendations laid out,
and, for a publication version, redacted passages removed and every registered name replaced
by its designation. The one step every output (preview page, PDF, Word) starts from."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field

from actions.models import Recommendation
from chronology.models import ChronologyEntry
from reports import richtext
from reports.models import Document, GlossaryTerm, Section
from reviews.anonymise import Anonymiser, anonymiser_for_review
from reviews.models import Imr, Review


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str  # plain text; escaped where it is written out


@dataclass(frozen=True)
class ComposedBlock:
    tag: str
    html: str  # sanitised markup, references already turned into footnote marks
    text: str
    number: str = ""  # "3.2" or "41" for a numbered paragraph, "" otherwise
    redacted: bool = False  # holds a redaction mark (panel versions show it highlighted)


@dataclass(frozen=True)
class RecommendationRow:
    number: int
    text: str
    agencies: str
    scope: str
    expected_outcome: str


@dataclass
class ComposedSection:
    pk: int
    number: int
    title: str
    kind: str
    blocks: list[ComposedBlock] = field(default_factory=list)
    recommendations: list[RecommendationRow] = field(default_factory=list)


@dataclass
class ComposedDocument:
    document: Document
    review: Review
    title: str
    publication: bool
    sections: list[ComposedSection]
    footnotes: list[Footnote]
    glossary: list[tuple[str, str]]
    unresolved_references: list[str]  # "[[entry:99]] in 3. Methods": fix before publishing

    @property
    def paragraph_count(self) -> int:
        return sum(1 for section in self.sections for block in section.blocks if block.number)


_SENTENCE_END_RE = re.compile(r"(^|[.!?]\s+|\n)$")


def _anonymise_html(value: str, anonymiser: Anonymiser) -> str:
    """Names replaced text node by text node; a designation is capitalised only where a
    sentence starts, judged on the block's text so far (not on where the markup splits it)."""
    out: list[richtext.Token] = []
    so_far = ""
    for token in richtext.tokens(value):
        if token.kind == "text":
            starts = bool(_SENTENCE_END_RE.search(so_far)) if so_far.strip() else True
            if starts:
                changed = anonymiser.apply(token.text)
            else:
                # Mid-sentence: a name at the start of this node is not a sentence start; the
                # "0 " in front says so to the anonymiser and is taken off again.
                changed = anonymiser.apply("0 " + token.text)[2:]
            so_far += token.text
            out.append(richtext.Token("text", text=changed))
        else:
            if token.kind == "start" and token.tag in richtext.BLOCK_TAGS | {"li", "td", "th"}:
                so_far = ""
            out.append(token)
    return richtext.serialise(out)


class _References:
    """Turns ``[[entry:41]]`` and ``[[imr:3]]`` into numbered footnotes and ``[[term:MARAC]]``
    into the abbreviation itself, loading everything cited in one query per kind."""

    def __init__(self, review: Review, sections: list[Section], glossary: dict[str, str]):
        cited = [ref for section in sections for ref in richtext.references(section.body)]
        entry_ids = {int(value) for kind, value in cited if kind == "entry" and value.isdigit()}
        imr_ids = {int(value) for kind, value in cited if kind == "imr" and value.isdigit()}
        self.entries = {
            entry.pk: entry
            for entry in ChronologyEntry.objects.filter(pk__in=entry_ids, imr__review=review).select_related(
                "imr__agency"
            )
        }
        self.imrs = {imr.pk: imr for imr in Imr.objects.filter(pk__in=imr_ids, review=review).select_related("agency")}
        self.glossary = glossary
        self.footnotes: list[Footnote] = []
        self.by_key: dict[tuple[str, str], int] = {}
        self.unresolved: list[str] = []
        self.terms_used: set[str] = set()

    def _note_text(self, kind: str, value: str) -> str | None:
        if kind == "entry" and value.isdigit() and int(value) in self.entries:
            entry = self.entries[int(value)]
            what = entry.event or "Contact"
            details = " ".join(entry.details.split())
            if len(details) > 240:
                details = details[:239].rstrip() + "…"
            return f"Chronology, {entry.imr.agency.name}, {entry.date_display}: {what}. {details}"
        if kind == "imr" and value.isdigit() and int(value) in self.imrs:
            imr = self.imrs[int(value)]
            when = f", submitted {imr.submitted_at:%-d %B %Y}" if imr.submitted_at else ""
            return f"Individual Management Review, {imr.agency.name}{when}."
        return None

    def replace(self, block_html: str, where: str) -> str:
        def one(match: re.Match[str]) -> str:
            kind, value = match.group(1), match.group(2)
            if kind == "term":
                expansion = self.glossary.get(value) or self.glossary.get(value.upper())
                if expansion is None:
                    self.unresolved.append(f"{match.group(0)} in {where}")
                    return htmllib.escape(value)
                self.terms_used.add(value)
                return f'<abbr title="{htmllib.escape(expansion)}">{htmllib.escape(value)}</abbr>'
            key = (kind, value)
            if key not in self.by_key:
                text = self._note_text(kind, value)
                if text is None:
                    self.unresolved.append(f"{match.group(0)} in {where}")
                    return "[reference not found]"
                self.footnotes.append(Footnote(len(self.footnotes) + 1, text))
                self.by_key[key] = len(self.footnotes)
            number = self.by_key[key]
            return f'<sup class="footnote-ref"><a href="#fn-{number}">{number}</a></sup>'

        # Only in text: a reference inside an attribute (a link's address) stays as typed, so
        # nothing made here can ever land inside a tag.
        out: list[str] = []
        for token in richtext.tokens(block_html):
            if token.kind != "text":
                out.append(token.html())
                continue
            last = 0
            for match in richtext.REFERENCE_RE.finditer(token.text):
                out.append(htmllib.escape(token.text[last : match.start()], quote=False))
                out.append(one(match))
                last = match.end()
            out.append(htmllib.escape(token.text[last:], quote=False))
        return "".join(out)


def _recommendation_rows(review: Review) -> list[RecommendationRow]:
    rows = []
    for recommendation in Recommendation.objects.filter(review=review).prefetch_related("agencies").order_by("number"):
        agencies = ", ".join(agency.name for agency in recommendation.agencies.all())
        rows.append(
            RecommendationRow(
                number=recommendation.number,
                text=recommendation.text,
                agencies=agencies or ("All agencies" if recommendation.multi_agency else ""),
                scope=recommendation.get_scope_display(),
                expected_outcome=recommendation.expected_outcome,
            )
        )
    return rows


def document_compose(document: Document, *, publication: bool = False) -> ComposedDocument:
    """The document as it reads. ``publication`` removes redacted passages and replaces every
    registered name and alias with its designation, in the text, footnotes and recommendations."""
    review = document.review
    sections = list(document.sections.order_by("position", "pk"))
    glossary = dict(GlossaryTerm.objects.filter(review=review).values_list("abbreviation", "expansion"))
    refs = _References(review, sections, glossary)
    anonymiser = anonymiser_for_review(review) if publication else None
    recommendations: list[RecommendationRow] | None = None

    composed: list[ComposedSection] = []
    paragraph = 0
    for number, section in enumerate(sections, start=1):
        out = ComposedSection(pk=section.pk, number=number, title=section.title, kind=section.kind)
        if publication:
            out.title = anonymiser.apply(section.title)
        in_section = 0
        for block in richtext.blocks(section.body):
            redacted = 'class="redaction"' in block.html
            value = richtext.redactions_remove(block.html) if publication else block.html
            value = refs.replace(value, f"{number}. {section.title}")
            if anonymiser is not None:
                value = _anonymise_html(value, anonymiser)
            label = ""
            if block.is_paragraph:
                paragraph += 1
                in_section += 1
                numbering = document.numbering
                label = f"{number}.{in_section}" if numbering == Document.Numbering.PER_SECTION else str(paragraph)
            text = richtext.blocks(value)[0].text if value else ""
            out.blocks.append(ComposedBlock(block.tag, value, text, label, redacted and not publication))
        if section.kind == Section.Kind.RECOMMENDATIONS:
            if recommendations is None:
                recommendations = _recommendation_rows(review)
            rows = recommendations
            if anonymiser is not None:
                rows = [
                    RecommendationRow(
                        r.number, anonymiser.apply(r.text), r.agencies, r.scope, anonymiser.apply(r.expected_outcome)
                    )
                    for r in rows
                ]
            out.recommendations = rows
        composed.append(out)

    footnotes = refs.footnotes
    if anonymiser is not None:
        footnotes = [Footnote(note.number, anonymiser.apply(note.text)) for note in footnotes]
    title = f"{document.get_kind_display()}: {review.case_name}"
    return ComposedDocument(
        document=document,
        review=review,
        title=title,
        publication=publication,
        sections=composed,
        footnotes=footnotes,
        glossary=sorted(glossary.items(), key=lambda item: item[0].lower()),
        unresolved_references=refs.unresolved,
    )


def section_readable(section: Section) -> tuple[list[tuple[int, richtext.Block, str]], list[Footnote]]:
    """One section for reading on screen: (index, block, html with references shown as
    footnote marks and abbreviations) and the section's own footnotes."""
    review = section.document.review
    glossary = dict(GlossaryTerm.objects.filter(review=review).values_list("abbreviation", "expansion"))
    refs = _References(review, [section], glossary)
    rows = [
        (index, block, refs.replace(block.html, section.title))
        for index, block in enumerate(richtext.blocks(section.body))
    ]
    return rows, refs.footnotes
