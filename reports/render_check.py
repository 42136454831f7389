"""The publication check (PRODUCT.md section 4): no registered name, alias, surname or date of
birth may leave in a publication version. Run twice: on the composed text before rendering (a
fast answer that names the section) and on the finished file itself, the PDF's extracted text
or the Word file's XML, so nothing the templates add on the way slips through.

Pure: text and bytes in, findings out."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from reports.compose import ComposedDocument
from reviews.anonymise import Anonymiser

# Findings listed on the page and in the command's one line; the rest are counted.
SHOWN = 20
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Finding:
    where: str  # "section 3. Background", "page 7", "Word file, footnotes"
    kind: str  # name, alias, surname, date of birth
    designation: str
    context: str


class PublicationBlocked(Exception):
    def __init__(self, findings: list[Finding]):
        super().__init__(findings_message(findings))
        self.findings = findings


def findings_message(findings: list[Finding]) -> str:
    parts = [f"{f.where}: {f.kind} of {f.designation} (“…{f.context}…”)" for f in findings[:SHOWN]]
    more = f"; and {len(findings) - SHOWN} more" if len(findings) > SHOWN else ""
    return "Publication blocked, personal data found: " + "; ".join(parts) + more


def _check(anonymiser: Anonymiser, where: str, text: str) -> list[Finding]:
    return [Finding(where, leak.kind, leak.designation, leak.context) for leak in anonymiser.leaks(text)]


def composed_findings(
    composed: ComposedDocument, anonymiser: Anonymiser, extra: dict[str, str] | None = None
) -> list[Finding]:
    """Every section (title, paragraphs, recommendations), the notes and the glossary, and any
    other text the document carries (``extra``: the appendices), by where it is."""
    found: list[Finding] = []
    for section in composed.sections:
        rows = [f"{r.text}\n{r.agencies}\n{r.expected_outcome}" for r in section.recommendations]
        text = "\n".join([section.title, *(block.text for block in section.blocks), *rows])
        found += _check(anonymiser, f"section {section.number}. {section.title}", text)
    found += _check(anonymiser, "notes", "\n".join(note.text for note in composed.footnotes))
    found += _check(anonymiser, "glossary", "\n".join(f"{a} {e}" for a, e in composed.glossary))
    for where, text in (extra or {}).items():
        found += _check(anonymiser, where, text)
    return found


def pdf_pages_text(pdf: bytes) -> list[str]:
    """The text of each page, as poppler's pdftotext reads it (what a reader can copy)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True, timeout=300
    )
    pages = result.stdout.decode("utf-8", "replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def pdf_findings(pdf: bytes, anonymiser: Anonymiser) -> list[Finding]:
    found: list[Finding] = []
    for number, text in enumerate(pdf_pages_text(pdf), start=1):
        found += _check(anonymiser, f"page {number}", text)
    return found


def docx_parts_text(data: bytes) -> dict[str, str]:
    """The text of every part of a Word file a reader sees: the body, notes, headers and footers,
    a paragraph per line. Also the document properties (title, subject, keywords)."""
    parts: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not re.fullmatch(
                r"word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml|docProps/core\.xml", name
            ):
                continue
            root = ElementTree.fromstring(archive.read(name))
            if name.startswith("docProps"):
                parts[name] = "\n".join(el.text or "" for el in root.iter())
                continue
            lines = []
            for paragraph in root.iter(f"{_W}p"):
                lines.append(
                    "".join(el.text or "" for el in paragraph.iter() if el.tag in (f"{_W}t", f"{_W}instrText"))
                )
            parts[name] = "\n".join(lines)
    return parts


_PART_NAMES = {"word/document.xml": "Word file, body", "word/footnotes.xml": "Word file, footnotes"}


def docx_findings(data: bytes, anonymiser: Anonymiser) -> list[Finding]:
    found: list[Finding] = []
    for name, text in docx_parts_text(data).items():
        where = _PART_NAMES.get(name, f"Word file, {name.removeprefix('word/').removesuffix('.xml')}")
        if name == "word/document.xml":
            # The body by paragraph, so the finding says where to look.
            for number, line in enumerate(text.split("\n"), start=1):
                found += _check(anonymiser, f"{where} paragraph {number}", line)
        else:
            found += _check(anonymiser, where, text)
    return found
