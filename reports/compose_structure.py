"""The structure of a composed document (reports.compose): the numbers of its headings and
paragraphs, which sections are empty, which glossary terms it uses (and their rows as published),
and its tables without the columns nobody wrote in. Functions over section HTML and composed
text: strings in, strings out (the glossary's rows through the publication run, if any)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from reports import richtext
from reports.markup import Token, serialise, tokens
from reviews.publication import Publication, Where

HEADING_TAGS = {"h2": 2, "h3": 3, "h4": 4}


class Numbers:
    """The numbers of one section's headings and paragraphs (section 3).

    Per section, headings and paragraphs share the counter of their level: paragraphs before any
    sub-heading are 3.1, 3.2; a sub-heading takes the next number (3.3 Key episodes); paragraphs
    under it are 3.3.1, 3.3.2; a sub-sub-heading under it 3.3.3, and its paragraphs 3.3.3.1.
    Continuously numbered, the paragraphs are counted across the document (1, 2, 3 ...; the
    composer counts them) and the headings alone share the counters: 3.1, 3.2, 3.2.1.

    A heading's level is its place among the headings open above it, never its tag alone: an h3
    or h4 straight under the section's title is numbered as an h2 would be (3.1, not 3.0.0.1),
    and two h3 in a row are siblings (3.3, 3.4) whichever tag the first one had."""

    def __init__(self, section: int, *, per_section: bool):
        self.section = section
        self.per_section = per_section
        self.counts = [0]  # counts[k]: the counter of the items at level k + 2
        self.open: list[int] = []  # the tag levels of the headings the text is under, outermost first

    def _label(self, upto: int) -> str:
        return ".".join([str(self.section), *(str(count) for count in self.counts[: upto + 1])])

    def heading(self, tag: str) -> tuple[int, str]:
        """The heading's level (2, 3 or 4) and number ("3.2")."""
        tag_level = HEADING_TAGS[tag]
        while self.open and self.open[-1] >= tag_level:
            self.open.pop()
        self.open.append(tag_level)
        level = len(self.open) + 1
        index = level - 2
        self.counts = self.counts[: index + 1]
        self.counts[index] += 1
        label = self._label(index)
        self.counts.append(0)  # its paragraphs and sub-headings
        return level, label

    def paragraph(self) -> str:
        """A paragraph's number per section ("3.2", "3.3.1"); "" when numbered continuously."""
        if not self.per_section:
            return ""
        self.counts[-1] += 1
        return self._label(len(self.counts) - 1)


def block_style(html: str) -> str:
    """A paragraph's style, as the editor stores it: <p data-style="finding">."""
    match = re.match(r'<p\b[^>]*\sdata-style="(finding|learning-point)"', html)
    return match.group(1) if match else ""


def has_text(blocks: Iterable[richtext.Block]) -> bool:
    """Whether a section's blocks (as accepted) hold any words: a data block's token
    ([[data:panel]]) is words too, until it is expanded."""
    return any(block.text.strip() for block in blocks)


# --- The glossary of the terms used ------------------------------------------------------------


def terms_used(glossary: dict[str, str], texts: Iterable[str], cited: set[str]) -> set[str]:
    """The abbreviations the document uses: cited as [[term:X]] (``cited``), or written out as
    the bare abbreviation, as a whole word (or its plural: "GPs", "GP's"), anywhere in its text."""
    text = "\n".join(texts)
    used = {term for term in glossary if term in cited}
    for term in glossary:
        if term not in used and re.search(rf"(?<!\w){re.escape(term)}(?:s|['’]s)?(?!\w)", text):
            used.add(term)
    return used


def _checked(run: Publication, text: str, where: Where) -> str:
    """A text published as it is (an abbreviation): checked, never rewritten."""
    run.check(text, where)
    return text


def glossary_rows(glossary: dict[str, str], run: Publication | None) -> list[tuple[str, str]]:
    """The glossary in alphabetical order; for a publication version each abbreviation checked
    (published as it is) and each expansion through the pipeline."""
    rows = sorted(glossary.items(), key=lambda item: item[0].lower())
    if run is None:
        return rows
    published = []
    for abbreviation, expansion in rows:
        place = f"glossary:{abbreviation}"
        term = Where(f"Glossary, {abbreviation}, abbreviation", f"{place}:abbreviation", group="Glossary")
        meaning = Where(f"Glossary, {abbreviation}", place, group="Glossary")
        published.append((_checked(run, abbreviation, term), run.text(expansion, meaning)))
    return published


# --- Tables without their empty columns --------------------------------------------------------


def _rows(items: list[Token]) -> list[list[tuple[int, int]]]:
    """For each row, (start, end) token indexes of its cells, and whether each row is in the body."""
    rows: list[list[tuple[int, int]]] = []
    start = -1
    for index, token in enumerate(items):
        if token.kind == "start" and token.tag == "tr":
            rows.append([])
        elif token.kind == "start" and token.tag in ("td", "th") and rows:
            start = index
        elif token.kind == "end" and token.tag in ("td", "th") and rows and start >= 0:
            rows[-1].append((start, index))
            start = -1
    return rows


def _cell_text(items: list[Token], start: int, end: int) -> str:
    return "".join(token.text for token in items[start:end] if token.kind == "text").strip()


def _body_rows(items: list[Token], rows: list[list[tuple[int, int]]]) -> list[bool]:
    """Whether each row is a body row: not in <thead>, and not a row of header cells only."""
    in_head, row, result = False, -1, []
    for token in items:
        if token.tag == "thead":
            in_head = token.kind == "start"
        elif token.kind == "start" and token.tag == "tr":
            row += 1
            cells = rows[row]
            header_only = bool(cells) and all(items[start].tag == "th" for start, _end in cells)
            result.append(not in_head and not header_only)
    return result


def without_empty_columns(html: str) -> str:
    """A table without the columns that have no text in any body row: left as it is when a cell
    spans rows or columns (its columns cannot be told apart), or when no column is empty."""
    if "colspan" in html or "rowspan" in html:
        return html
    items = tokens(html)
    rows = _rows(items)
    body = [cells for cells, is_body in zip(rows, _body_rows(items, rows), strict=True) if is_body]
    if not body:
        return html
    width = max(len(cells) for cells in rows)
    empty = {
        column
        for column in range(width)
        if all(column >= len(cells) or not _cell_text(items, *cells[column]) for cells in body)
    }
    if not empty or len(empty) == width:
        return html
    dropped: set[int] = set()
    for cells in rows:
        for column, (start, end) in enumerate(cells):
            if column in empty:
                dropped.update(range(start, end + 1))
    return serialise([token for index, token in enumerate(items) if index not in dropped])
