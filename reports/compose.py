"""A document as it will be read: sections numbered, paragraphs numbered (continuously or per
section), references turned into footnotes, glossary terms expanded, recommendations laid out,
and, for a publication version, redacted passages removed and every registered name replaced
by its designation. The one step every output (preview page, PDF, Word) starts from."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field

from django.urls import reverse

from actions.models import Recommendation
from chronology.exports.published import month_of
from chronology.integrated.rows import entry_fingerprint
from chronology.models import ChronologyEntry
from reports import citations, data_blocks, redactions, richtext
from reports import compose_structure as structure
from reports.models import Document, GlossaryTerm, Section
from reviews.models import Imr, Review
from reviews.publication import Publication, Where, publication_for_review, text_hash


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str  # plain text; escaped where it is written out


@dataclass(frozen=True)
class ComposedBlock:
    tag: str
    html: str  # sanitised markup, references already turned into footnote marks
    text: str
    number: str = ""  # "3.2" or "41" for a numbered paragraph, "3.2" or "3.2.1" for a heading, "" otherwise
    redacted: bool = False  # holds a redaction mark (panel versions show it highlighted)
    level: int = 0  # a heading's level: 2 for "3.2", 3 for "3.2.1", 4 for "3.2.1.1" (the section is 1); 0 otherwise
    style: str = ""  # a paragraph's style: "finding" or "learning-point" (<p data-style="...">), "" otherwise

    @property
    def anchor(self) -> str:
        """The id a numbered heading is linked by (the contents, bookmarks): "heading-3-2"."""
        return "heading-" + self.number.replace(".", "-") if self.level else ""

    @property
    def heading_html(self) -> str:
        """A numbered heading as the outputs print it: its number in its text, and one level down
        from the editor's tag (h2 -> h3), so that it is never tagged like a section's title."""
        match = _HEADING_RE.match(self.html)
        if match is None:
            return self.html
        if not self.level:  # a heading with no words: nothing to print, to list or to bookmark
            return ""
        tag = f"h{min(self.level + 1, 6)}"
        number = f'<span class="heading-number">{htmllib.escape(self.number)}</span>'
        return (f'<{tag} id="{self.anchor}" class="sub-heading level-{self.level}">{number} '
                f"{match.group(2)}</{tag}>")  # fmt: skip


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
    empty: bool = False  # no text yet (a panel version prints it headed, with a note; see empty_sections)

    @property
    def subheadings(self) -> list[ComposedBlock]:
        """The level-2 headings ("3.2 Key episodes"): the contents lists them under the section."""
        return [block for block in self.blocks if block.level == 2]

    @property
    def recommendation_columns(self) -> dict[str, bool]:
        """Which columns of the recommendations table have text in some row: an empty one is not printed."""
        rows = self.recommendations
        return {name: any(getattr(row, name) for row in rows) for name in ("agencies", "scope", "expected_outcome")}


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
    # A publication version: the run every text went through, with its findings and replacements.
    run: Publication | None = None
    case_name: str = ""  # as published: through the pipeline for a publication version

    @property
    def paragraph_count(self) -> int:
        return sum(1 for section in self.sections for block in section.blocks if block.number and not block.level)

    @property
    def paragraph_hang(self) -> str:
        """How far the paragraphs' numbers hang, for the longest ("13.2.1.4" needs more room than
        "3.2"): "" (12 mm), "wide" or "wider". One width for the whole document, so its text aligns."""
        # In widths of a full stop: a figure is about twice as wide.
        longest = max(
            (2 * len(block.number) - block.number.count(".") for s in self.sections for block in s.blocks
             if block.number and not block.level),
            default=0,
        )  # fmt: skip
        return "" if longest <= 9 else "wide" if longest <= 12 else "wider"


_FOOTNOTE_MARK_RE = re.compile(r'<sup class="footnote-ref">.*?</sup>')
_HEADING_RE = re.compile(r"^<(h[2-6])(?:\s[^>]*)?>(.*)</\1>$", re.S)
_SENTENCE_END_RE = re.compile(r"(^|[.!?]\s+|\n)$")


def _publish_html(value: str, run: Publication, where: Where) -> str:
    """Names replaced text node by text node (a designation is capitalised only where a sentence
    starts, judged on the block's text so far, not on where the markup splits it); then the
    block's whole text and every link address checked, so a name split by markup is still found."""
    out: list[richtext.Token] = []
    so_far = ""
    replaced = run.register
    for token in richtext.tokens(value):
        if token.kind == "text":
            starts = bool(_SENTENCE_END_RE.search(so_far)) if so_far.strip() else True
            result = replaced.replace(token.text if starts else "0 " + token.text)
            changed = result.text if starts else result.text[2:]  # "0 ": not a sentence start
            for designation, count in result.counts.items():
                run.replacements[(where.group or where.label, designation)] += count
            so_far += token.text
            out.append(richtext.Token("text", text=changed))
        else:
            if token.kind == "start" and token.tag in richtext.BLOCK_TAGS | {"li", "td", "th"}:
                so_far = ""
            if token.kind == "start" and token.tag == "a":
                for name, address in token.attrs:
                    if name == "href" and address:
                        run.check(address, Where(f"{where.label}, link address", where.scope, where.url, where.group),
                                  address=True)  # fmt: skip
            out.append(token)
    return richtext.serialise(out)


class References:
    """Turns ``[[entry:<fingerprint>]]`` (or an old ``[[entry:41]]``) and ``[[imr:3]]`` into
    numbered footnotes and ``[[term:MARAC]]`` into the abbreviation itself, loading everything
    cited in one query per kind (reports.citations). An entry cited twice, by its fingerprint and
    by its old id, is one footnote."""

    def __init__(
        self, review: Review, sections: list[Section], glossary: dict[str, str], run: Publication | None = None
    ):
        cited = [ref for section in sections for ref in richtext.references(richtext.accepted(section.body))]
        imr_ids = {int(value) for kind, value in cited if kind == "imr" and value.isdigit() and len(value) < 19}
        # By the value cited: the entry's fingerprint, or its id in a citation from before.
        self.entries = citations.entries_cited(review, {value for kind, value in cited if kind == "entry"})
        self.imrs = {imr.pk: imr for imr in Imr.objects.filter(pk__in=imr_ids, review=review).select_related("agency")}
        self.glossary = glossary
        self.footnotes: list[Footnote] = []
        self.by_key: dict[tuple[str, str], int] = {}
        self.unresolved: list[str] = []
        self.terms_used: set[str] = set()
        self.run = run  # a publication version: each field of a cited entry goes through it

    def _where(self, entry: ChronologyEntry, name: str, number: int) -> Where:
        """A field of a cited agency entry, kept against the entry's fingerprint: the same scope
        as in a designations export, so one decision holds for both."""
        fingerprint = entry_fingerprint(
            entry.imr.agency_id, entry.date_start, entry.date_end, entry.precision, entry.details
        )
        # The month only: an entry's day may be a date of birth, and labels go in the audit trail.
        month = month_of(entry.date_start, entry.date_end).display
        label = f"footnote {number} ({entry.imr.agency.name}, {month}, {name})"
        return Where(label, f"entry:{fingerprint}:{name}", group="Footnotes")

    def _published(self, entry: ChronologyEntry, name: str, text: str, number: int) -> str:
        if self.run is None:
            return text
        return self.run.text(text, self._where(entry, name, number))

    def _agency(self, agency, number: int) -> str:
        """An agency's name ("Stone Road Surgery" may hold a surname), kept as exports keep it."""
        if self.run is None:
            return agency.name
        return self.run.text(agency.name, Where(f"footnote {number}, agency name", f"agency:{agency.pk}:name",
                                                group="Footnotes"))  # fmt: skip

    def _date(self, entry: ChronologyEntry, number: int) -> str:
        """The entry's date as published: checked (a birth recorded on its day is a date of
        birth), or to its month only where the chair redacted it."""
        if self.run is None:
            return entry.date_display
        where = self._where(entry, "date", number)
        if self.run.is_redacted(where, entry.date_display):
            return month_of(entry.date_start, entry.date_end).display
        self.run.check(entry.date_display, where)
        return entry.date_display

    def _note_text(self, kind: str, value: str) -> str | None:
        if kind == "entry" and value in self.entries:
            entry = self.entries[value]
            number = len(self.footnotes) + 1
            what = self._published(entry, "event", entry.event, number) or "Contact"
            # Names are replaced in the whole text before it is shortened, and it is shortened at
            # a word: never "Mark Sto…".
            details = " ".join(self._published(entry, "details", entry.details, number).split())
            if len(details) > 240:
                details = details[:239].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
            agency = self._agency(entry.imr.agency, number)
            return f"Chronology, {agency}, {self._date(entry, number)}: {what}. {details}"
        if kind == "imr" and value.isdigit() and int(value) in self.imrs:
            imr = self.imrs[int(value)]
            when = f", submitted {imr.submitted_at:%-d %B %Y}" if imr.submitted_at else ""
            return f"Individual Management Review, {self._agency(imr.agency, len(self.footnotes) + 1)}{when}."
        return None

    def _term(self, match: re.Match[str], before: str, where: str) -> str:
        """An abbreviation as it reads: spelt out with the abbreviation in brackets where the
        document first uses it ("Initial Child Protection Conference (ICPC)"), the abbreviation
        alone after that; where the writer has just spelt it out ("an initial child protection
        conference [[term:ICPC]]"), only the brackets are added, never the words twice."""
        value = match.group(2)
        key = value if value in self.glossary else value.upper()
        expansion = self.glossary.get(key)
        if expansion is None:
            self.unresolved.append(f"{match.group(0)} in {where}")
            return htmllib.escape(value)
        abbr = f'<abbr title="{htmllib.escape(expansion)}">{htmllib.escape(value)}</abbr>'
        first = key not in self.terms_used
        self.terms_used.add(key)
        spelt = " ".join(expansion.split()).casefold()
        words = " ".join(before.split()).casefold()
        if words.endswith(spelt + " (") or words.endswith(spelt + "("):
            return abbr  # "conference ([[term:ICPC]])": the brackets are the writer's
        if words.endswith(spelt):
            return f"({abbr})"
        return f"{htmllib.escape(expansion, quote=False)} ({abbr})" if first else abbr

    def _footnote(self, match: re.Match[str], where: str) -> str:
        kind, value = match.group(1), match.group(2)
        key = (kind, value)
        if kind == "entry" and value in self.entries:
            key = (kind, str(self.entries[value].pk))
        if key not in self.by_key:
            text = self._note_text(kind, value)
            if text is None:
                self.unresolved.append(f"{match.group(0)} in {where}")
                return "[reference not found]"
            self.footnotes.append(Footnote(len(self.footnotes) + 1, text))
            self.by_key[key] = len(self.footnotes)
        number = self.by_key[key]
        return f'<sup class="footnote-ref"><a href="#fn-{number}">{number}</a></sup>'

    def replace(self, block_html: str, where: str) -> str:
        """Only in text: a reference inside an attribute (a link's address) stays as typed, so
        nothing made here can ever land inside a tag. A footnote mark follows its word with no
        space ("Social Care¹", not "Social Care ¹"), unless it follows another mark."""
        out: list[str] = []
        mark = False  # the last thing written is a footnote mark
        for token in richtext.tokens(block_html):
            if token.kind != "text":
                out.append(token.html())
                mark = False
                continue
            last = 0
            for match in richtext.REFERENCE_RE.finditer(token.text):
                before = token.text[last : match.start()]
                if match.group(1) == "term":
                    made = self._term(match, token.text[: match.start()], where)
                else:
                    made = self._footnote(match, where)
                footnote = made.startswith('<sup class="footnote-ref">')
                if footnote and not (mark and not before.strip()):
                    before = before.rstrip()
                out.append(htmllib.escape(before, quote=False))
                out.append(made)
                mark = footnote
                last = match.end()
            rest = token.text[last:]
            out.append(htmllib.escape(rest, quote=False))
            mark = mark and not rest
        return "".join(out)


def _published(run: Publication | None, text: str, pk: int, name: str, kind: str) -> str:
    if run is None:
        return text
    return run.text(text, Where(f"{kind}, recommendations table ({name})", f"recommendation:{pk}:{name}",
                                group="Recommendations"))  # fmt: skip


def _recommendation_rows(review: Review, run: Publication | None, kind: str) -> list[RecommendationRow]:
    rows = []
    for recommendation in Recommendation.objects.filter(review=review).prefetch_related("agencies").order_by("number"):
        agencies = ", ".join(agency.name for agency in recommendation.agencies.all())
        rows.append(
            RecommendationRow(
                number=recommendation.number,
                text=_published(run, recommendation.text, recommendation.pk, "text", kind),
                agencies=_published(run, agencies, recommendation.pk, "agencies", kind)
                or ("All agencies" if recommendation.multi_agency else ""),
                scope=recommendation.get_scope_display(),
                expected_outcome=_published(run, recommendation.expected_outcome, recommendation.pk, "outcome", kind),
            )
        )
    return rows


def section_editor_url(section_pk: int, document: Document, block: int | None = None) -> str:
    url = reverse("reports:section_edit", args=[document.review_id, document.pk, section_pk])
    return f"{url}?block={block}" if block is not None else url


def document_compose(
    document: Document,
    *,
    publication: bool = False,
    run: Publication | None = None,
    sections: list[Section] | None = None,
) -> ComposedDocument:
    """The document as it reads. ``publication`` removes redacted passages and sends every text
    (titles, paragraphs, link addresses, footnotes, recommendations, glossary) through the
    publication pipeline: names replaced by designations, what remains found and located.
    ``sections``: the sections as an earlier version had them (titles and text of saved
    revisions, reports.family_selectors), instead of as they stand."""
    review = document.review
    if sections is None:
        sections = list(document.sections.order_by("position", "pk"))
    glossary = dict(GlossaryTerm.objects.filter(review=review).values_list("abbreviation", "expansion"))
    if publication and run is None:
        run = publication_for_review(review)
    if not publication:
        run = None
    composer = _Composer(document, References(review, sections, glossary, run), run)
    composed: list[ComposedSection] = []
    for section in sections:
        texts = richtext.blocks(richtext.accepted(section.body))
        empty = not structure.has_text(texts) and not composer.has_recommendations(section)
        # Left out of a publication version when the chair says so; the rest numbered consecutively.
        if empty and publication and document.empty_sections == Document.EmptySections.OMIT:
            continue
        composed.append(composer.section(len(composed) + 1, section, texts, empty=empty))
    # In this order after the sections, as the pipeline meets them: the glossary, then the cover.
    glossary_rows = structure.glossary_rows(_used(glossary, composed, composer.refs), run)
    case_name = review.case_name
    if run is not None:
        case_name = run.text(case_name, Where("Cover, case name", "review:case_name", group="Cover"))
    return ComposedDocument(
        document=document,
        review=review,
        title=f"{composer.kind}: {case_name}",
        publication=publication,
        sections=composed,
        footnotes=composer.refs.footnotes,
        glossary=glossary_rows,
        unresolved_references=composer.refs.unresolved,
        run=run,
        case_name=case_name,
    )


class _Composer:
    """Composes a document's sections in order, counting its paragraphs as it goes; ``run`` (a
    publication version) sees every text in the order a reader meets it."""

    def __init__(self, document: Document, refs: References, run: Publication | None):
        self.document = document
        self.refs = refs
        self.run = run
        self.kind = document.get_kind_display()
        self.paragraph = 0  # paragraphs numbered so far, in the whole document
        self.last_label = ""  # the number of the last paragraph, as printed ("3.2" or "14")
        self.recommendations: list[RecommendationRow] | None = None  # loaded once, where first needed
        self.any_recommendations: bool | None = None
        # [[data:...]] paragraphs: expanded from the review's data, each block then composed as any other.
        self.data = data_blocks.DataBlocks(
            document.review, refs.unresolved, lambda: _recommendation_rows(document.review, None, self.kind)
        )

    def has_recommendations(self, section: Section) -> bool:
        """A recommendations section prints the review's recommendations, text or none."""
        if section.kind != Section.Kind.RECOMMENDATIONS:
            return False
        if self.any_recommendations is None:
            self.any_recommendations = Recommendation.objects.filter(review=self.document.review).exists()
        return self.any_recommendations

    def section(
        self, number: int, section: Section, text_blocks: list[richtext.Block], *, empty: bool
    ) -> ComposedSection:
        out = ComposedSection(pk=section.pk, number=number, title=section.title, kind=section.kind, empty=empty)
        if self.run is not None:
            where = Where(f"{self.kind}, section {number} title", f"section:{section.pk}:title",
                          section_editor_url(section.pk, self.document), f"{number}. {section.title}")  # fmt: skip
            out.title = self.run.text(section.title, where)
        numbers = structure.Numbers(number, per_section=self.document.numbering == Document.Numbering.PER_SECTION)
        # What is read is the accepted text (text_blocks): a suggestion not yet accepted is in no output.
        for index, block in self.data.expand(text_blocks, f"{number}. {section.title}"):
            label, level = "", 0
            if block.is_paragraph:
                self.paragraph += 1
                label = numbers.paragraph() or str(self.paragraph)
            elif block.tag in structure.HEADING_TAGS and block.text.strip():
                level, label = numbers.heading(block.tag)
            out.blocks.append(self.block(number, section, index, block, label, level))
        if section.kind == Section.Kind.RECOMMENDATIONS:
            if self.recommendations is None:
                self.recommendations = _recommendation_rows(self.document.review, self.run, self.kind)
            out.recommendations = self.recommendations
        return out

    def block(
        self, number: int, section: Section, index: int, block: richtext.Block, label: str, level: int = 0
    ) -> ComposedBlock:
        """One block as it reads: redactions removed (publication), references as footnotes,
        names replaced and what remains checked (publication)."""
        publication = self.run is not None
        value = block.html
        if publication:
            value = redactions.links_unwrapped_around(redactions.redactions_remove(value))
        value = self.refs.replace(_flattened_if_too_deep(value), f"{number}. {section.title}")
        if block.tag == "table":
            value = structure.without_empty_columns(value)
        if self.run is not None:
            group = f"{number}. {section.title}"
            if label:
                place = f"{'heading' if level else 'paragraph'} {label}"
            else:
                place = f"{block.tag} after paragraph {self.last_label or 'none'}"
            where = Where(f"{self.kind}, section {group}, {place}", f"section:{section.pk}",
                          section_editor_url(section.pk, self.document, index), group)  # fmt: skip
            value = _publish_html(value, self.run, where)
            # Checked without its footnote marks: "14/03³/1990" is a date all the same.
            bare = _FOOTNOTE_MARK_RE.sub("", value)
            self.run.check(richtext.blocks(bare)[0].text if bare else "", where, digest=text_hash(block.text))
        text = richtext.blocks(value)[0].text if value else ""
        redacted = 'class="redaction"' in block.html and not publication
        if label and not level:
            self.last_label = label
        style = structure.block_style(block.html) if block.tag == "p" else ""
        return ComposedBlock(block.tag, value, text, label, redacted, level=level, style=style)


def _flattened_if_too_deep(value: str) -> str:
    """Block HTML saved before nesting was bounded: its words without the markup, which the
    renderers would walk level by level until they ran out of stack."""
    if richtext.nesting_depth(value) <= richtext.MAX_NESTING:
        return value
    words = " ".join(part.text for part in richtext.blocks(value))
    return f"<p>{htmllib.escape(words, quote=False)}</p>"


def _used(glossary: dict[str, str], sections: list[ComposedSection], refs: References) -> dict[str, str]:
    """The glossary's terms the composed document uses (cited, or written as the abbreviation)."""
    texts = [block.text for section in sections for block in section.blocks]
    for section in sections:
        texts += [f"{row.text} {row.agencies} {row.expected_outcome}" for row in section.recommendations]
    texts += [note.text for note in refs.footnotes]
    used = structure.terms_used(glossary, texts, refs.terms_used)
    return {term: expansion for term, expansion in glossary.items() if term in used}
