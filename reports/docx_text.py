"""Section text in a Word file: the sanitised HTML of a composed block (the tags of
reports.richtext) as Word paragraphs, runs and tables. Paragraphs and sub-headings are numbered
by Word's own lists (reports.docx_numbering), as the composer numbered them; nested lists are
levels of a list; a footnote mark becomes Word's own footnote reference
(reports.docx_parts.Footnotes)."""

from __future__ import annotations

import re

from docx.document import Document as WordFile
from docx.enum.text import WD_BREAK, WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from reports import richtext
from reports.compose import ComposedBlock
from reports.docx_numbering import Numbering
from reports.docx_parts import NAVY, Footnotes, full_width, repeat_header, rows_kept_whole
from reports.docx_styles import BLOCK_STYLES

_FOOTNOTE_REF_RE = re.compile(r"#fn-(\d+)$")
_LINK_SCHEMES = ("http://", "https://", "mailto:")


class SectionWriter:
    """Section HTML (sanitised: the tags of reports.richtext) to Word paragraphs, runs and tables.
    Numbers are Word's own (reports.docx_numbering): none is typed. Runs inside a passage a
    comment is pinned to (<span data-comment>) are kept in ``anchored`` by its UUID."""

    def __init__(self, doc: WordFile, footnotes: Footnotes, numbering: Numbering, text_width: int):
        self.doc = doc
        self.footnotes = footnotes
        self.numbering = numbering
        self.text_width = text_width
        self.anchored: dict[str, list[Run]] = {}
        self.headings: list[tuple[str, Paragraph]] = []  # (bookmark, heading) of level-2 sub-headings

    def block(self, block: ComposedBlock, number: str) -> None:
        items = richtext.tokens(block.html)
        if block.tag == "p":
            style = BLOCK_STYLES.get(getattr(block, "style", "") or _data_style(items))
            paragraph = self.doc.add_paragraph(style=style or ("Numbered Paragraph" if number else None))
            self.numbering.number(paragraph, number)
            self.inline(paragraph, items[1:-1])
        elif block.tag in ("h2", "h3", "h4", "h5"):
            self.heading(block, items)
        elif block.tag in ("ul", "ol"):
            self.list_block(items)
        elif block.tag == "blockquote":
            self.inline(self.doc.add_paragraph(style="Quote"), items[1:-1], breaks_paragraphs=True)
        elif block.tag == "table":
            self.table(items)

    def heading(self, block: ComposedBlock, items: list[richtext.Token]) -> None:
        """A heading inside a section: Heading 2 for a level-2 sub-heading ("3.2"), and so on down;
        numbered by Word when the composer numbered it."""
        level = getattr(block, "level", 0) or int(block.tag[1])
        paragraph = self.doc.add_heading(level=max(2, min(level, 5)))
        self.numbering.number(paragraph, block.number, heading=True)
        self.inline(paragraph, items[1:-1])
        if level == 2 and block.number:
            self.headings.append((heading_bookmark(block.number), paragraph))

    def list_block(self, items: list[richtext.Token]) -> None:
        """A list, nested lists as deeper levels of it: bullets with their marks where the numbered
        paragraphs' text starts; an ordered list (and each ordered list inside) counting from 1."""
        kinds: list[tuple[str, int]] = []  # (ul | ol, its num) of each open list
        current: list[richtext.Token] = []
        for token in items:
            if token.tag in ("ul", "ol") and token.kind in ("start", "end"):
                if current:
                    self._list_item(kinds, current)
                    current = []
                if token.kind == "start":
                    kinds.append(
                        (token.tag, self.numbering.ordered_list() if token.tag == "ol" else self.numbering.bullets)
                    )
                elif kinds:
                    kinds.pop()
            elif token.kind == "start" and token.tag == "li":
                current = []
            elif token.kind == "end" and token.tag == "li":
                if current:
                    self._list_item(kinds, current)
                current = []
            else:
                current.append(token)

    def _list_item(self, kinds: list[tuple[str, int]], items: list[richtext.Token]) -> None:
        if not kinds:
            return
        tag, num = kinds[-1]
        paragraph = self.doc.add_paragraph(style="List Number" if tag == "ol" else "List Bullet")
        Numbering.apply(paragraph, num, len(kinds) - 1)
        self.inline(paragraph, items)

    def table(self, items: list[richtext.Token]) -> None:
        rows, header_rows = _table_cells(items)
        columns = max((len(row) for row in rows), default=0)
        if not columns:
            return
        table = self.doc.add_table(rows=0, cols=columns)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            cells = table.add_row().cells
            for c, content in enumerate(row):
                paragraph = cells[c].paragraphs[0]
                self.inline(paragraph, content)
                if r < header_rows:
                    for run in paragraph.runs:
                        run.bold = True
        full_width(table, self.text_width)
        repeat_header(table, header_rows)
        rows_kept_whole(table)

    def inline(self, paragraph: Paragraph, items: list[richtext.Token], *, breaks_paragraphs: bool = False) -> None:
        """Runs for inline markup: bold, italic, underline, strike, sub/superscript, links,
        redaction marks, line breaks and footnote references."""
        _Inline(self, paragraph, breaks_paragraphs=breaks_paragraphs).write(items)


def heading_bookmark(number: str) -> str:
    return "_Toc_" + number.replace(".", "_")


def _data_style(items: list[richtext.Token]) -> str:
    """The block style of a paragraph as stored (<p data-style="finding">)."""
    if items and items[0].kind == "start":
        return dict(items[0].attrs).get("data-style") or ""
    return ""


def _table_cells(items: list[richtext.Token]) -> tuple[list[list[list[richtext.Token]]], int]:
    """A table's rows, each a list of cells (the tokens inside each), and how many of the rows
    are header rows (inside <thead>)."""
    rows: list[list[list[richtext.Token]]] = []
    header_rows = 0
    cell: list[richtext.Token] | None = None
    in_head = False
    for token in items:
        opens, closes = token.kind == "start", token.kind == "end"
        if token.tag == "thead" and (opens or closes):
            in_head = opens
        elif opens and token.tag == "tr":
            rows.append([])
            header_rows += in_head
        elif opens and token.tag in ("td", "th"):
            cell = []
        elif closes and token.tag in ("td", "th"):
            if rows and cell is not None:
                rows[-1].append(cell)
            cell = None
        elif cell is not None:
            cell.append(token)
    return rows, header_rows


class _Inline:
    """The inline markup of one block written as runs of a paragraph: the formatting open at each
    piece of text is a stack of tags; a footnote mark becomes Word's own footnote reference."""

    def __init__(self, writer: SectionWriter, paragraph: Paragraph, *, breaks_paragraphs: bool):
        self.writer = writer
        self.paragraph = paragraph
        self.breaks_paragraphs = breaks_paragraphs  # a quotation's paragraphs stay paragraphs
        self.stack: list[str] = []
        self.spans: list[str] = []  # each open <span>: "redaction", "comment:<UUID>" or "span"
        self.in_mark = 0  # depth inside a footnote mark (<sup class="footnote-ref">)
        self.links: list = []  # each open <a>: its Word hyperlink element, or None (no address kept)

    def write(self, items: list[richtext.Token]) -> None:
        for token in items:
            if self.in_mark:
                self._footnote_mark(token)
            elif token.kind == "start":
                self._start(token)
            elif token.kind == "end":
                self._end(token.tag)
            elif token.kind == "startend" and token.tag == "br":
                self.paragraph.add_run().add_break(WD_BREAK.LINE)
            elif token.kind == "text" and token.text and not _FOOTNOTE_REF_RE.search(token.text):
                run = self.paragraph.add_run(token.text)
                _format_run(run, self.stack)
                if self.links and self.links[-1] is not None:
                    self.links[-1].append(run._r)
                for span in self.spans:
                    if span.startswith("comment:"):
                        self.writer.anchored.setdefault(span[8:], []).append(run)

    def _footnote_mark(self, token: richtext.Token) -> None:
        """Inside a footnote mark: the reference is Word's, and so is the number it shows."""
        if token.kind == "start" and token.tag == "a":
            self._footnote_reference(token)
        elif token.kind == "start" and token.tag == "sup":
            self.in_mark += 1
        elif token.kind == "end" and token.tag == "sup":
            self.in_mark -= 1

    def _footnote_reference(self, token: richtext.Token) -> bool:
        """A link to a footnote written as Word's reference to it; False for any other link."""
        match = _FOOTNOTE_REF_RE.search(dict(token.attrs).get("href") or "")
        if match:
            self.writer.footnotes.reference(self.paragraph, int(match.group(1)))
        return match is not None

    def _start(self, token: richtext.Token) -> None:
        attrs = dict(token.attrs)
        if token.tag == "sup" and attrs.get("class") == "footnote-ref":
            self.in_mark = 1
            return
        if token.tag == "a" and self._footnote_reference(token):
            return
        if token.tag == "a":
            self.links.append(self._hyperlink(attrs.get("href") or ""))
        redaction = attrs.get("class") == "redaction"
        if token.tag == "span":
            comment = attrs.get("data-comment")
            self.spans.append("redaction" if redaction else f"comment:{comment}" if comment else "span")
        self.stack.append("redaction" if redaction else token.tag)
        if token.tag == "p" and self.breaks_paragraphs and self.paragraph.runs:
            self.paragraph = self.writer.doc.add_paragraph(style=self.paragraph.style)

    def _hyperlink(self, href: str):
        """A link's address kept as Word's own hyperlink (an external relationship), its runs put
        inside it; None for an address Word is not given (a place in the page)."""
        if not href.startswith(_LINK_SCHEMES):
            return None
        relationship = self.paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), relationship)
        link.set(qn("w:history"), "1")
        self.paragraph._p.append(link)
        return link

    def _end(self, tag: str) -> None:
        if tag == "a" and self.links:
            self.links.pop()
        if tag == "span" and self.spans:
            tag = "redaction" if self.spans.pop() == "redaction" else "span"
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag)]
        elif tag == "span" and "redaction" in self.stack:
            self.stack.remove("redaction")


def _format_run(run: Run, stack: list[str]) -> None:
    """A run's formatting from the tags open around its text."""
    run.bold = "strong" in stack or None
    run.italic = "em" in stack or None
    run.underline = "u" in stack or "a" in stack or None
    run.font.strike = "s" in stack or None
    run.font.superscript = "sup" in stack or None
    run.font.subscript = "sub" in stack or None
    if "a" in stack:
        run.font.color.rgb = NAVY
    if "redaction" in stack:
        run.font.highlight_color = WD_COLOR_INDEX.GRAY_25
