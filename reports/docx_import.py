"""A Word file read back as sections: pure, bytes in and a ``ParsedDocx`` out, no database.

Word's "Heading 1" (or a paragraph at outline level 0; or the top heading level used, when a
file has no Heading 1) starts a section; Heading 2, 3 and 4 become the section's h2, h3 and h4.
Paragraphs, lists (bullets and numbers, nested by level), tables (the first row as the header),
bold, italic, underlining, strike-through, superscript and subscript, and links to web addresses
are kept. Paragraph numbers are dropped, typed ("3.2<tab>") or Word's own numbering of a
numbered paragraph: casereview numbers paragraphs itself. Footnotes are kept as a mark in the
text (``NOTE_OPEN`` number ``NOTE_CLOSE``) with their text in ``ParsedDocx.notes``; the caller
turns each back into a reference or a bracketed note (reports.docx_import_service).

What cannot be kept (pictures, text boxes, comments, deleted text of tracked changes, fields,
equations, embedded objects) is counted, by where it is, in ``ParsedDocx.not_kept``; tracked
insertions are accepted. The cover (what comes before the first heading), a contents list and
the glossary and appendices casereview's own Word file carries are recognised and left out
(``ParsedDocx.skipped``)."""

from __future__ import annotations

import html as htmllib
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree  # type: ignore[import-untyped]  # python-docx's XML library, untyped

from reports.docx_import_xml import (
    Numbering,
    Styles,
    W,
    XmlPart,
    is_on,
    load_part,
    relationships,
    wval,
)

MAX_PART_BYTES = 64 * 1024 * 1024  # one XML part unpacked; a larger one is refused, not read
NOTE_OPEN, NOTE_CLOSE = "\ue000", "\ue001"  # private-use characters around a footnote's number
# "3.2<tab>", "12.<tab>", "3.2 " or "12. " typed before a paragraph or heading.
TYPED_NUMBER_RE = re.compile(r"^\s*(?:\d{1,3}(?:\.\d{1,3})*\.?\s*\t\s*|\d{1,3}(?:\.\d{1,3})+\.?\s+|\d{1,3}\.\s+)")
# Headings casereview writes itself, never sections of the text.
_SKIP_HEADING_RE = re.compile(r"^(glossary|contents|table of contents|appendix\b.*)$", re.IGNORECASE)
_BLOCK_STYLES = {"finding": "finding", "learning point": "learning-point"}


class DocxError(ValueError):
    """The file is not a Word document this can read; the message says what is wrong."""


@dataclass
class ImportedSection:
    title: str
    html: str  # block HTML, not yet sanitised; footnotes as NOTE_OPEN n NOTE_CLOSE
    words: int = 0


@dataclass
class ParsedDocx:
    sections: list[ImportedSection]
    notes: dict[int, str] = field(default_factory=dict)
    # (what, where) -> how many: "picture", "3. Analysis"
    not_kept: Counter[tuple[str, str]] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)  # "Cover page (9 paragraphs)", "Glossary (18 entries)"


def title_key(title: str) -> str:
    """A heading as it is matched to a section: no leading number ("3.", "3.2"), no punctuation,
    case and spacing ignored."""
    title = TYPED_NUMBER_RE.sub("", title.strip())
    title = re.sub(r"^\d{1,3}(?:\.\d{1,3})*\.?\s+", "", title)
    return " ".join(re.sub(r"[^\w\s]", " ", title.casefold()).split())


def _open(data: bytes) -> zipfile.ZipFile:
    if not data:
        raise DocxError("The file is empty.")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise DocxError("The file is not a Word document (.docx): it is not a zip package at all.")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DocxError(f"The file is not a Word document (.docx): the package cannot be read ({error}).") from error
    if "word/document.xml" not in names:
        raise DocxError("The file is a zip package but not a Word document (.docx): it has no word/document.xml.")
    for info in package.infolist():
        if info.filename.endswith(".xml") and info.file_size > MAX_PART_BYTES:
            raise DocxError(f"The file's part {info.filename} is too large to read (over 64 MB unpacked).")
    return package


def parse_docx(data: bytes) -> ParsedDocx:
    """The sections of a Word file, or ``DocxError`` saying why it cannot be read."""
    package = _open(data)
    root = load_part(package, "word/document.xml")
    body = root.find(f"{W}body") if root is not None else None
    if body is None:
        raise DocxError("The Word document has no body.")
    part = XmlPart(
        styles=Styles(load_part(package, "word/styles.xml", missing_ok=True)),
        numbering=Numbering(load_part(package, "word/numbering.xml", missing_ok=True)),
        links=relationships(load_part(package, "word/_rels/document.xml.rels", missing_ok=True)),
    )
    from reports.docx_import_body import BodyReader  # the reader of paragraphs, runs and tables

    reader = BodyReader(part, _notes(package))
    result = reader.read(body)
    if not result.sections:
        raise DocxError(
            "The Word document has no headings, so it cannot be split into sections: give each section's title "
            "Word's “Heading 1” style and upload it again."
        )
    return result


def _notes(package: zipfile.ZipFile) -> dict[tuple[str, str], str]:
    """Each footnote's and endnote's text, by ("footnote" | "endnote", id)."""
    notes: dict[tuple[str, str], str] = {}
    for kind in ("footnote", "endnote"):
        root = load_part(package, f"word/{kind}s.xml", missing_ok=True)
        if root is None:
            continue
        for note in root.iter(f"{W}{kind}"):
            if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            text = " ".join(_plain(note).split())
            notes[(kind, note.get(f"{W}id") or "")] = text
    return notes


def _plain(element: etree._Element) -> str:
    out: list[str] = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}p"):
        if node.tag == f"{W}t":
            out.append(node.text or "")
        elif node.tag == f"{W}p" and out:
            out.append(" ")
        else:
            out.append(" ")
    return "".join(out)


def is_skipped_heading(title: str) -> bool:
    return bool(_SKIP_HEADING_RE.match(" ".join(TYPED_NUMBER_RE.sub("", title).split())))


def block_style(style_name: str) -> str:
    """``data-style`` for a paragraph style: "finding", "learning-point", or ""."""
    return _BLOCK_STYLES.get(style_name.casefold().strip(), "")


def escape(text: str) -> str:
    return htmllib.escape(text, quote=False)


__all__ = ["DocxError", "ImportedSection", "ParsedDocx", "is_on", "parse_docx", "title_key", "wval"]
