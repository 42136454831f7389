"""The parts of a Word file the importer reads besides the body: styles (names, outline levels,
list numbering in a style), numbering definitions (bullet or number at each level) and the
relationships that hold link addresses. Parsed without entities or network, each part bounded
in size (reports.docx_import)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped]  # python-docx's XML library, untyped

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
HYPERLINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
_HEADING_RE = re.compile(r"^heading\s*([1-9])$")
_LIST_STYLE_RE = re.compile(r"^list\s+(bullet|number)(?:\s+([2-9]))?$")


def wval(element: etree._Element | None, name: str = "val") -> str | None:
    if element is None:
        return None
    return element.get(f"{W}{name}")


def is_on(element: etree._Element | None) -> bool:
    """A Word on/off property (<w:b/>, <w:b w:val="0"/>): on unless it says off."""
    if element is None:
        return False
    return (wval(element) or "true").lower() not in ("0", "false", "off", "none")


def load_part(package: zipfile.ZipFile, name: str, *, missing_ok: bool = False) -> etree._Element | None:
    from reports.docx_import import DocxError

    try:
        data = package.read(name)
    except KeyError:
        if missing_ok:
            return None
        raise DocxError(f"The Word document has no {name}.") from None
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise DocxError(f"The Word document's part {name} cannot be unpacked ({error}).") from error
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise DocxError(f"The Word document's part {name} is not well-formed XML ({error.msg}).") from error


@dataclass(frozen=True)
class StyleInfo:
    name: str
    outline: int | None  # 0 for a level 1 heading
    num_id: str | None  # a list numbering set on the style itself
    ilvl: int


class Styles:
    """Paragraph styles by id, each with what it inherits (outline level, numbering)."""

    def __init__(self, root: etree._Element | None):
        self.raw: dict[str, tuple[str, str | None, int | None, str | None, int]] = {}
        self._cache: dict[str, StyleInfo] = {}
        # A character style's run properties ("Strong Emphasis": bold), and the style it is based on.
        self.character: dict[str, tuple[etree._Element | None, str | None]] = {}
        if root is None:
            return
        for style in root.iter(f"{W}style"):
            if style.get(f"{W}type") == "character":
                self.character[style.get(f"{W}styleId") or ""] = (
                    style.find(f"{W}rPr"),
                    wval(style.find(f"{W}basedOn")),
                )
                continue
            if style.get(f"{W}type") not in (None, "paragraph"):
                continue
            style_id = style.get(f"{W}styleId") or ""
            name = wval(style.find(f"{W}name")) or style_id
            ppr = style.find(f"{W}pPr")
            outline = wval(ppr.find(f"{W}outlineLvl")) if ppr is not None else None
            num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
            num_id = wval(num_pr.find(f"{W}numId")) if num_pr is not None else None
            ilvl = wval(num_pr.find(f"{W}ilvl")) if num_pr is not None else None
            based = wval(style.find(f"{W}basedOn"))
            self.raw[style_id] = (
                name, based, int(outline) if outline and outline.isdigit() else None, num_id,
                int(ilvl) if ilvl and ilvl.isdigit() else 0,
            )  # fmt: skip

    def get(self, style_id: str | None) -> StyleInfo:
        style_id = style_id or ""
        if style_id in self._cache:
            return self._cache[style_id]
        name, outline, num_id, ilvl = style_id, None, None, 0
        seen: set[str] = set()
        current: str | None = style_id
        first = True
        while current and current in self.raw and current not in seen:
            seen.add(current)
            raw_name, based, raw_outline, raw_num, raw_ilvl = self.raw[current]
            if first:
                name = raw_name
                first = False
            outline = raw_outline if outline is None else outline
            if num_id is None and raw_num is not None:
                num_id, ilvl = raw_num, raw_ilvl
            current = based
        info = StyleInfo(name=name, outline=outline, num_id=num_id, ilvl=ilvl)
        self._cache[style_id] = info
        return info

    def run_properties(self, style_id: str | None) -> list[etree._Element]:
        """The run properties a character style gives, its own first, then those it inherits."""
        found: list[etree._Element] = []
        seen: set[str] = set()
        while style_id and style_id in self.character and style_id not in seen:
            seen.add(style_id)
            rpr, style_id = self.character[style_id]
            if rpr is not None:
                found.append(rpr)
        return found


def heading_level(style_name: str, outline: int | None) -> int | None:
    """1..9 for a heading (by its style's name, or its outline level), None otherwise."""
    match = _HEADING_RE.match(style_name.casefold().strip())
    if match:
        return int(match.group(1))
    if outline is not None and outline < 9:
        return outline + 1
    return None


def list_style(style_name: str) -> tuple[str, int] | None:
    """("ul" | "ol", level) for Word's "List Bullet 2", "List Number"; None for other styles."""
    match = _LIST_STYLE_RE.match(style_name.casefold().strip())
    if not match:
        return None
    return ("ul" if match.group(1) == "bullet" else "ol"), int(match.group(2) or 1) - 1


class Numbering:
    """Word numbering: for a numbering id and level, whether it is a bullet and its text."""

    def __init__(self, root: etree._Element | None):
        self.abstract: dict[str, dict[int, tuple[str, str]]] = {}
        self.nums: dict[str, str] = {}
        if root is None:
            return
        for abstract in root.iter(f"{W}abstractNum"):
            levels: dict[int, tuple[str, str]] = {}
            for lvl in abstract.iter(f"{W}lvl"):
                ilvl = lvl.get(f"{W}ilvl") or "0"
                fmt = wval(lvl.find(f"{W}numFmt")) or "decimal"
                text = wval(lvl.find(f"{W}lvlText")) or ""
                if ilvl.isdigit():
                    levels[int(ilvl)] = (fmt, text)
            self.abstract[abstract.get(f"{W}abstractNumId") or ""] = levels
        for num in root.iter(f"{W}num"):
            self.nums[num.get(f"{W}numId") or ""] = wval(num.find(f"{W}abstractNumId")) or ""

    def format(self, num_id: str, ilvl: int) -> tuple[str, str] | None:
        """(numFmt, lvlText) of a level, or None when the numbering is not defined (or is 0: none)."""
        if num_id in ("", "0") or num_id not in self.nums:
            return None
        return self.abstract.get(self.nums[num_id], {}).get(ilvl, ("decimal", ""))


def relationships(root: etree._Element | None) -> dict[str, str]:
    """External link addresses by relationship id."""
    links: dict[str, str] = {}
    if root is None:
        return links
    for rel in root.iter(f"{REL}Relationship"):
        if rel.get("Type") == HYPERLINK_TYPE and rel.get("TargetMode") == "External":
            links[rel.get("Id") or ""] = rel.get("Target") or ""
    return links


@dataclass
class XmlPart:
    styles: Styles
    numbering: Numbering
    links: dict[str, str]
