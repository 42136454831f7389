"""A Word paragraph's content as formatted text segments (reports.docx_import_body): runs,
links, tracked changes (insertions accepted, deletions dropped), fields (their shown text) and
footnote references; pictures, text boxes, comments, equations and embedded objects counted as
not kept."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree  # type: ignore[import-untyped]  # python-docx's XML library, untyped

from reports.docx_import_xml import R, W, wval

if TYPE_CHECKING:
    from reports.docx_import_body import BodyReader, _Paragraph

M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_HYPERLINK_FIELD_RE = re.compile(r'^\s*HYPERLINK\s+"([^"]+)"', re.IGNORECASE)
_TEXT_CHARS = {f"{W}noBreakHyphen": "-", f"{W}softHyphen": "", f"{W}tab": "\t"}
_LOST = {
    f"{W}object": "embedded object",
    f"{M}oMath": "equation",
    f"{M}oMathPara": "equation",
    f"{W}commentReference": "comment",
}
_RECURSE = {f"{W}smartTag", f"{W}customXml", f"{W}sdtContent", f"{W}ins", f"{W}moveTo", f"{W}fldSimple", f"{W}dir",
            f"{W}bdo"}  # fmt: skip
_SKIP = {f"{W}del", f"{W}moveFrom"}


def inline(reader: BodyReader, element: etree._Element, out: _Paragraph, href: str) -> None:
    for child in element:
        tag = child.tag
        if tag == f"{W}r":
            _run(reader, child, out, href)
        elif tag == f"{W}hyperlink":
            target = reader.part.links.get(child.get(f"{R}id") or "", "") if child.get(f"{R}id") else ""
            inline(reader, child, out, target or href)
        elif tag in _SKIP:
            reader.lost("deleted text of a tracked change (dropped)")
        elif tag in _RECURSE:
            _recurse(reader, child, out, href)
        elif tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                inline(reader, content, out, href)
        elif tag in _LOST:
            reader.lost(_LOST[tag])


def _recurse(reader: BodyReader, child: etree._Element, out: _Paragraph, href: str) -> None:
    if child.tag in (f"{W}ins", f"{W}moveTo"):
        reader.lost("inserted text of a tracked change (accepted)")
    if child.tag == f"{W}fldSimple":
        instr = child.get(f"{W}instr") or ""
        if match := _HYPERLINK_FIELD_RE.match(instr):
            href = match.group(1)
        elif instr.strip().upper().startswith("TOC"):
            out.toc = True
            return
        else:
            reader.lost("field (its shown text kept)")
    inline(reader, child, out, href)


def _run(reader: BodyReader, run: etree._Element, out: _Paragraph, href: str) -> None:
    from reports.docx_import_body import _run_tags

    tags = _run_tags(run, reader.part.styles)
    for child in run:
        tag = child.tag
        if tag == f"{W}fldChar":
            _field_char(reader, child, out)
            continue
        if tag == f"{W}instrText":
            if reader.fields and not reader.fields[-1].result:
                reader.fields[-1].instr += child.text or ""
            continue
        if any(not field.result for field in reader.fields):
            continue  # a field's instruction, not its text
        _run_child(reader, child, out, tags, href or _field_link(reader.fields))


def _run_child(reader: BodyReader, child: etree._Element, out: _Paragraph, tags: tuple[str, ...], link: str) -> None:
    from reports.docx_import_body import Segment

    tag = child.tag
    if tag == f"{W}t":
        out.segments.append(Segment(child.text or "", tags, link))
    elif tag in _TEXT_CHARS:
        out.segments.append(Segment(_TEXT_CHARS[tag], tags, link))
    elif tag in (f"{W}br", f"{W}cr"):
        if wval(child, "type") not in ("page", "column"):
            out.segments.append(Segment("\n", tags, link))
    elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
        kind = "footnote" if tag == f"{W}footnoteReference" else "endnote"
        out.segments.append(reader.note(kind, child.get(f"{W}id") or ""))
    elif tag in (f"{W}drawing", f"{W}pict"):
        reader.lost("text box" if _has_text_box(child) else "picture")
    elif tag in _LOST:
        reader.lost(_LOST[tag])


def _field_char(reader: BodyReader, char: etree._Element, out: _Paragraph) -> None:
    from reports.docx_import_body import _Field

    kind = wval(char, "fldCharType")
    if kind == "begin":
        reader.fields.append(_Field())
    elif kind == "separate" and reader.fields:
        field = reader.fields[-1]
        field.result = True
        instr = field.instr.strip().upper()
        if instr.startswith("TOC"):
            out.toc = True
        elif not instr.startswith(("HYPERLINK", "PAGEREF", "REF ", "NOTEREF")):
            reader.lost("field (its shown text kept)")
    elif kind == "end" and reader.fields:
        field = reader.fields.pop()
        if field.instr.strip().upper().startswith("TOC"):
            out.toc = True


def _field_link(fields) -> str:
    for field in reversed(fields):
        if match := _HYPERLINK_FIELD_RE.match(field.instr):
            return match.group(1)
    return ""


def _has_text_box(element: etree._Element) -> bool:
    tags = (node.tag for node in element.iter() if isinstance(node.tag, str))
    return any(tag.endswith(("}txbx", "}txbxContent")) for tag in tags)
