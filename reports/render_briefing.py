"""A learning briefing's two PDF forms, from the same RenderInput every render starts from
(reports.render.render_input, so a publication version is the publication pipeline's text):

    briefing_slides_html(data) -> str    landscape 16:9 slides (templates/reports/pdf/briefing_slides.html)
    briefing_handout_html(data) -> str   the A4 two-page handout in two columns (briefing_handout.html)

then casereview.pdf.html_to_pdf, as for any document. Slides: a title slide, what the briefing
sets out, a slide per section (continued on the next when it holds more than a slide's worth),
and a slide per learning point (<p data-style="learning-point">). A briefing has no paragraph
numbers and no footnotes: the overview report carries the sources."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from reports.compose import ComposedBlock, ComposedSection
from reports.render import RenderInput, _logo_src

# What a slide holds, in characters of text at the slides' type size (starting a line, an item or
# a row costs more than its words; a table's smaller type less); a section holding more goes on.
SLIDE_BUDGET = 1000
LINE = 60
TABLE_WEIGHT = 1.1
FOOTNOTE_MARK_RE = re.compile(r'<sup class="footnote-ref">.*?</sup>', re.S)
ITEM_RE = re.compile(r"<li\b.*?</li>", re.S)
ROW_RE = re.compile(r"<tr\b.*?</tr>", re.S)
TAGS_RE = re.compile(r"<[^>]+>")
CELL_RE = re.compile(r"<t[dh]\b.*?</t[dh]>", re.S)
BODY_RE = re.compile(r"^(<table\b[^>]*>.*?<tbody\b[^>]*>)(.*)(</tbody>\s*</table>)$", re.S)
LIST_RE = re.compile(r"^(<(ul|ol)\b[^>]*>)(.*)(</\2>)$", re.S)


@dataclass(frozen=True)
class Piece:
    """A part of a section as a briefing prints it: a paragraph, or one item of a list or row of a
    table (``group``: which list or table, printed around the items of it on one slide)."""

    html: str
    cost: int
    style: str = ""  # "finding", "learning-point" or ""
    group: int = 0  # 0: a block of its own
    opening: str = ""  # the list's or table's opening markup (a table's head with it)
    closing: str = ""
    ordered: bool = False
    position: int = 0  # its place in its list: a list continued on the next slide numbers on


@dataclass
class Slide:
    title: str
    pieces: list[Piece] = field(default_factory=list)
    continued: bool = False
    point: str = ""  # "Learning point 2 of 5" on a learning point's own slide
    recommendations: bool = False

    @property
    def blocks(self) -> list[SafeString]:
        """The slide's markup: the items of one list or table together, a list numbered on from
        the slide before (WeasyPrint reads the list-item counter, not start=)."""
        out: list[str] = []
        group = 0
        for piece in self.pieces:
            if piece.group and piece.group == group:
                out[-1] = out[-1][: -len(piece.closing)] + piece.html + piece.closing
            elif piece.group:
                opening = piece.opening
                if piece.ordered and piece.position:
                    opening = f'{opening[:-1]} style="counter-reset: list-item {piece.position}">'
                out.append(opening + piece.html + piece.closing)
            else:
                out.append(piece.html)
            group = piece.group
        return [mark_safe(value) for value in out]  # noqa: S308 (sanitised section text, or escaped)


def _plain(block: ComposedBlock) -> str:
    """A block's markup without its footnote marks; a heading as a briefing's sub-heading."""
    if block.tag in ("h2", "h3", "h4", "h5", "h6"):
        return f'<h3 class="sub-heading">{htmllib.escape(block.text)}</h3>' if block.text.strip() else ""
    return FOOTNOTE_MARK_RE.sub("", block.html)


def _words(value: str) -> int:
    return len(TAGS_RE.sub("", value))


def _row_cost(row: str) -> int:
    """A table row's height in text: its cells sit side by side, so its longest cell sets it."""
    cells = CELL_RE.findall(row) or [row]
    return int(TABLE_WEIGHT * (max(_words(cell) for cell in cells) + LINE))


def _items(value: str, group: int) -> list[Piece]:
    """A list's items or a table's rows as pieces of one group; a list holding another list, or a
    table of another shape, one piece."""
    match = LIST_RE.match(value)
    if match and "<ul" not in match.group(3) and "<ol" not in match.group(3):
        opening, tag, inner, closing = match.groups()
        return [
            Piece(
                item,
                _words(item) + LINE,
                group=group,
                opening=opening,
                closing=closing,
                ordered=tag == "ol",
                position=position,
            )
            for position, item in enumerate(ITEM_RE.findall(inner))
        ]
    match = BODY_RE.match(value)
    if match:
        head, body, tail = match.groups()
        return [Piece(row, _row_cost(row), group=group, opening=head, closing=tail) for row in ROW_RE.findall(body)]
    return [Piece(value, _words(value) + LINE)]


def _pieces(section: ComposedSection) -> list[Piece]:
    pieces = []
    for index, block in enumerate(section.blocks, start=1):
        value = _plain(block)
        if not value:
            continue
        if block.tag in ("ul", "ol", "table"):
            pieces.extend(_items(value, index))
        else:
            pieces.append(Piece(value, len(block.text) + LINE, block.style))
    if section.recommendations:
        items = "".join(
            f'<li value="{row.number}">{htmllib.escape(row.text)}'
            + (f' <span class="agencies">({htmllib.escape(row.agencies)})</span>' if row.agencies else "")
            + "</li>"
            for row in section.recommendations
        )
        pieces.extend(_items(f'<ol class="recommendations">{items}</ol>', len(section.blocks) + 1))
    return pieces


def section_slides(section: ComposedSection, budget: int = SLIDE_BUDGET) -> list[Slide]:
    """A section's slides: its text a slide's worth at a time; each learning point its own."""
    pieces = _pieces(section)
    points = [piece for piece in pieces if piece.style == "learning-point"]
    slides: list[Slide] = []
    used = 0
    for piece in pieces:
        if piece.style == "learning-point":
            number = points.index(piece) + 1
            slides.append(Slide(section.title, [piece], point=f"Learning point {number} of {len(points)}"))
            continue
        if not slides or slides[-1].point or used + piece.cost > budget:
            slides.append(Slide(section.title, continued=bool(slides)))
            used = 0
        slides[-1].pieces.append(piece)
        used += piece.cost
    if not slides:
        slides.append(Slide(section.title))
    for slide in slides:
        slide.recommendations = bool(section.recommendations)
    return slides


def _context(data: RenderInput) -> dict:
    sections = [section for section in data.composed.sections if not section.empty or not data.publication]
    return {"d": data, "sections": sections, "logo_src": _logo_src(data)}


def briefing_slides_html(data: RenderInput) -> str:
    """The print HTML of a briefing's slides, for WeasyPrint."""
    context = _context(data)
    context["slides"] = [slide for section in context["sections"] for slide in section_slides(section)]
    return render_to_string("reports/pdf/briefing_slides.html", context)


def briefing_handout_html(data: RenderInput) -> str:
    """The print HTML of a briefing's A4 handout, for WeasyPrint."""
    context = _context(data)
    context["parts"] = [
        {"section": section, "blocks": Slide(section.title, _pieces(section)).blocks} for section in context["sections"]
    ]
    return render_to_string("reports/pdf/briefing_handout.html", context)
