"""The body of a Word file read in order into sections of block HTML (reports.docx_import):
paragraphs, headings, lists and tables, each paragraph's runs as formatted text."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree  # type: ignore[import-untyped]  # python-docx's XML library, untyped

from reports.docx_import import (
    NOTE_CLOSE,
    NOTE_OPEN,
    TYPED_NUMBER_RE,
    ImportedSection,
    ParsedDocx,
    block_style,
    escape,
    is_skipped_heading,
)
from reports.docx_import_xml import R, Styles, W, XmlPart, heading_level, is_on, list_style, wval

M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_FORMATS = (("b", "strong"), ("i", "em"), ("strike", "s"), ("dstrike", "s"))
_TAG_ORDER = ("strong", "em", "u", "s", "sup", "sub")
_IGNORED = {
    f"{W}pPr", f"{W}rPr", f"{W}bookmarkStart", f"{W}bookmarkEnd", f"{W}proofErr", f"{W}permStart", f"{W}permEnd",
    f"{W}commentRangeEnd", f"{W}lastRenderedPageBreak", f"{W}footnoteRef", f"{W}endnoteRef", f"{W}annotationRef",
}  # fmt: skip
MAX_LIST_DEPTH = 4


@dataclass
class Segment:
    text: str
    tags: tuple[str, ...] = ()
    href: str = ""


@dataclass
class _Field:
    instr: str = ""
    result: bool = False


@dataclass
class _Paragraph:
    segments: list[Segment] = field(default_factory=list)
    toc: bool = False


def _run_tags(run: etree._Element, styles: Styles) -> tuple[str, ...]:
    """The run's formatting: its own properties over its character style's ("Strong Emphasis")."""
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        return ()
    tags: set[str] = set()
    # The nearest setting wins: the run's own, then its style's, then what that style is based on.
    for properties in reversed([rpr, *styles.run_properties(wval(rpr.find(f"{W}rStyle")))]):
        for name, tag in (*_FORMATS, ("u", "u")):
            element = properties.find(f"{W}{name}")
            if element is None:
                continue
            on = (wval(element) or "single") != "none" if name == "u" else is_on(element)
            if on:
                tags.add(tag)
            else:
                tags.discard(tag)
        align = wval(properties.find(f"{W}vertAlign"))
        if align is not None:
            tags -= {"sup", "sub"}
            tags |= {"superscript": {"sup"}, "subscript": {"sub"}}.get(align, set())
    return tuple(tag for tag in _TAG_ORDER if tag in tags)


def segments_html(segments: list[Segment]) -> str:
    """Runs as HTML: neighbours with the same formatting and link joined."""
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].tags == segment.tags and merged[-1].href == segment.href:
            merged[-1] = Segment(merged[-1].text + segment.text, segment.tags, segment.href)
        elif segment.text:
            merged.append(segment)
    out: list[str] = []
    for segment in merged:
        text = escape(segment.text).replace("\n", "<br>")
        for tag in reversed(segment.tags):
            text = f"<{tag}>{text}</{tag}>"
        if segment.href:
            text = f'<a href="{escape(segment.href).replace(chr(34), "&quot;")}">{text}</a>'
        out.append(text)
    return "".join(out)


def strip_typed_number(segments: list[Segment]) -> list[Segment]:
    """The paragraph without a number typed at its start ("3.2<tab>", "12. ")."""
    match = TYPED_NUMBER_RE.match("".join(segment.text for segment in segments))
    if not match:
        return segments
    drop = match.end()
    out: list[Segment] = []
    for segment in segments:
        if drop >= len(segment.text):
            drop -= len(segment.text)
            continue
        out.append(Segment(segment.text[drop:], segment.tags, segment.href))
        drop = 0
    return out


class BodyReader:
    """Reads the body's blocks in order; one instance per file."""

    def __init__(self, part: XmlPart, notes: dict[tuple[str, str], str]):
        self.part = part
        self.note_texts = notes
        self.note_numbers: dict[tuple[str, str], int] = {}
        self.result = ParsedDocx(sections=[])
        self.section: ImportedSection | None = None
        self.blocks: list[str] = []
        self.where = "the cover page"
        self.skipping = "Cover page"  # the region being left out, "" inside a section
        self.skipped_items = 0
        self.fields: list[_Field] = []
        self.lists: list[list] = []  # open lists: [tag, item open]
        self.top = 1

    # --- the body, block by block ---

    def read(self, body: etree._Element) -> ParsedDocx:
        levels = [level for p in body.iter(f"{W}p") if (level := self._heading(p)) is not None]
        self.top = min(levels, default=1)
        self._children(body)
        self._finish_region()
        return self.result

    def _children(self, parent: etree._Element) -> None:
        for child in parent:
            if child.tag == f"{W}p":
                self._paragraph(child)
            elif child.tag == f"{W}tbl":
                self._table(child)
            elif child.tag == f"{W}sdt":
                self._content_control(child)
            elif child.tag in (f"{W}customXml", f"{W}sdtContent"):
                self._children(child)

    def _content_control(self, sdt: etree._Element) -> None:
        gallery = sdt.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")
        if gallery is not None and "table of contents" in (wval(gallery) or "").casefold():
            self._skipped_once("Contents list")
            return
        content = sdt.find(f"{W}sdtContent")
        if content is not None:
            self._children(content)

    def _heading(self, p: etree._Element) -> int | None:
        ppr = p.find(f"{W}pPr")
        style = self.part.styles.get(wval(ppr.find(f"{W}pStyle")) if ppr is not None else None)
        outline = wval(ppr.find(f"{W}outlineLvl")) if ppr is not None else None
        level = heading_level(style.name, int(outline) if outline and outline.isdigit() else style.outline)
        if level is None or style.name.casefold().startswith(("toc", "title")):
            return None
        return level

    # --- regions: the cover, skipped headings, sections ---

    def _skipped_once(self, label: str) -> None:
        if label not in self.result.skipped:
            self.result.skipped.append(label)

    def _finish_region(self) -> None:
        self._close_lists()
        if self.section is not None:
            self.section.html = "".join(self.blocks)
            self.result.sections.append(self.section)
        elif self.skipping and self.skipped_items:
            unit = "paragraph" if self.skipping == "Cover page" else "entr"
            plural = ("s" if self.skipped_items != 1 else "") if unit == "paragraph" else (
                "ies" if self.skipped_items != 1 else "y")  # fmt: skip
            self.result.skipped.append(f"{self.skipping} ({self.skipped_items} {unit}{plural})")
        elif self.skipping and self.skipping != "Cover page":
            self.result.skipped.append(self.skipping)
        self.section, self.blocks, self.skipped_items = None, [], 0

    def _start(self, title: str) -> None:
        self._finish_region()
        if is_skipped_heading(title):
            self.skipping, self.where = title, title
            return
        self.skipping, self.where = "", title
        self.section = ImportedSection(title=title, html="")

    # --- paragraphs ---

    def _paragraph(self, p: etree._Element) -> None:
        ppr = p.find(f"{W}pPr")
        style = self.part.styles.get(wval(ppr.find(f"{W}pStyle")) if ppr is not None else None)
        in_toc_before = self._in_toc()
        paragraph = _Paragraph()
        self._inline(p, paragraph, "")
        name = style.name.casefold()
        if in_toc_before or paragraph.toc or name.startswith("toc"):
            self._skipped_once("Contents list")
            return
        level = self._heading(p)
        text = "".join(segment.text for segment in paragraph.segments)
        if level is not None and level <= self.top and text.strip():
            title = " ".join(TYPED_NUMBER_RE.sub("", _without_notes(text)).split())
            self._start(title[:200])
            return
        if self.section is None:
            self.skipped_items += 1 if text.strip() else 0
            return
        self._block(p, ppr, style.name, style, level, paragraph)

    def _block(self, p, ppr, style_name: str, style, level: int | None, paragraph: _Paragraph) -> None:
        segments = paragraph.segments
        if not "".join(segment.text for segment in segments).strip():
            return
        listed = self._list_of(ppr, style_name, style)
        if listed is not None:
            self._list_item(listed[0], listed[1], segments_html(segments))
            return
        self._close_lists()
        content = segments_html(strip_typed_number(segments)).strip()
        if not content:
            return
        if level is not None:
            tag = f"h{min(max(level - self.top + 1, 2), 4)}"
            self.blocks.append(f"<{tag}>{content}</{tag}>")
            return
        data_style = block_style(style_name)
        attribute = f' data-style="{data_style}"' if data_style else ""
        self.blocks.append(f"<p{attribute}>{content}</p>")

    def _list_of(self, ppr, style_name: str, style) -> tuple[str, int] | None:
        """("ul" | "ol", level) for a list item; None for a paragraph (a numbered paragraph's
        number is casereview's to make, so it is a paragraph)."""
        by_style = list_style(style_name)
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        num_id, ilvl = style.num_id, style.ilvl
        if num_pr is not None:
            num_id = wval(num_pr.find(f"{W}numId")) or num_id
            level_value = wval(num_pr.find(f"{W}ilvl"))
            ilvl = int(level_value) if level_value and level_value.isdigit() else ilvl
        fmt = self.part.numbering.format(num_id, ilvl) if num_id else None
        if by_style is not None:
            tag = by_style[0] if fmt is None else ("ul" if fmt[0] == "bullet" else "ol")
            return tag, ilvl if num_pr is not None else by_style[1]
        if fmt is None or fmt[0] == "none":
            return None
        if fmt[0] == "bullet":
            return "ul", ilvl
        if "list" in style_name.casefold():
            return "ol", ilvl
        return None

    def _list_item(self, tag: str, level: int, content: str) -> None:
        level = min(level, len(self.lists), MAX_LIST_DEPTH - 1)
        while len(self.lists) > level + 1:
            self._close_one_list()
        if len(self.lists) == level + 1 and self.lists[-1][0] != tag:
            self._close_one_list()
        if len(self.lists) == level + 1:
            if self.lists[-1][1]:
                self.blocks.append("</li>")
        else:
            self.blocks.append(f"<{tag}>")
            self.lists.append([tag, False])
        self.blocks.append(f"<li>{content}")
        self.lists[-1][1] = True

    def _close_one_list(self) -> None:
        tag, item_open = self.lists.pop()
        self.blocks.append(("</li>" if item_open else "") + f"</{tag}>")

    def _close_lists(self) -> None:
        while self.lists:
            self._close_one_list()

    # --- tables ---

    def _table(self, table: etree._Element) -> None:
        if self.section is None:
            self.skipped_items += max(len(table.findall(f"{W}tr")) - 1, 0)
            return
        self._close_lists()
        rows = [self._row(tr) for tr in table.findall(f"{W}tr")]
        rows = [row for row in rows if row]
        if not rows:
            return
        head = ""
        if len(rows) > 1:
            head = "<thead><tr>" + "".join(f"<th{a}>{c}</th>" for a, c in rows[0]) + "</tr></thead>"
            rows = rows[1:]
        body = "".join("<tr>" + "".join(f"<td{a}>{c}</td>" for a, c in row) + "</tr>" for row in rows)
        self.blocks.append(f"<table>{head}<tbody>{body}</tbody></table>")

    def _row(self, tr: etree._Element) -> list[tuple[str, str]]:
        cells: list[tuple[str, str]] = []
        for tc in tr.findall(f"{W}tc"):
            span = wval(tc.find(f"{W}tcPr/{W}gridSpan"))
            attrs = f' colspan="{int(span)}"' if span and span.isdigit() and int(span) > 1 else ""
            parts = []
            for p in tc.iter(f"{W}p"):
                paragraph = _Paragraph()
                self._inline(p, paragraph, "")
                if html := segments_html(paragraph.segments).strip():
                    parts.append(html)
            cells.append((attrs, "<br>".join(parts)))
        return cells

    # --- runs: text and formatting; what cannot be kept is counted ---

    def _in_toc(self) -> bool:
        return any(f.instr.strip().upper().startswith("TOC") for f in self.fields)

    def lost(self, what: str) -> None:
        """Counted inside a section only: the cover, glossary and appendices are not imported at all."""
        if self.section is not None:
            self.result.not_kept[(what, self.where)] += 1

    def _inline(self, element: etree._Element, out: _Paragraph, href: str) -> None:
        from reports.docx_import_runs import inline

        inline(self, element, out, href)

    def note(self, kind: str, note_id: str) -> Segment:
        key = (kind, note_id)
        if key not in self.note_numbers:
            self.note_numbers[key] = len(self.result.notes) + 1
            self.result.notes[self.note_numbers[key]] = self.note_texts.get(key, "")
        return Segment(f"{NOTE_OPEN}{self.note_numbers[key]}{NOTE_CLOSE}")


def _without_notes(text: str) -> str:
    out, inside = [], False
    for ch in text:
        if ch == NOTE_OPEN:
            inside = True
        elif ch == NOTE_CLOSE:
            inside = False
        elif not inside:
            out.append(ch)
    return "".join(out)


__all__ = ["M", "R", "BodyReader", "Segment", "_Field", "_IGNORED", "_Paragraph", "_run_tags"]
