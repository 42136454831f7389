"""Every part of a finished file, as text to check (PRODUCT.md section 4, step 5).

Pure: bytes in, (where, text, is_address) out. A format is offered for publication only if its
own file passes, so nothing a template, a renderer or a library adds on the way can slip through.

- PDF: each page's text as a reader copies it (poppler's pdftotext), and every string anywhere in
  the file's object tree (pypdf): link annotations and their addresses, the outline (bookmarks),
  the structure tags (alternative and actual text), the document information and the XMP metadata.
- DOCX: every XML part: body paragraph by paragraph, headers, footers, footnotes, endnotes,
  comments, core and app properties, and every attribute value (relationship targets, that is
  link addresses, field instructions, alternative text).
- XLSX: every cell of every sheet, the sheet names and the workbook properties.
- CSV and JSON: every cell; every key and string value.
- HTML (web pages in a zip): every file in it, by its kind (reviews.publication.web_files).
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
import subprocess
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote
from xml.etree import ElementTree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Attributes that name a style, a font or a measure, never text a reader sees.
_SKIPPED_ATTRIBUTES = {"val", "rsidR", "rsidRDefault", "rsidP", "rsidRPr", "id", "type", "space"}


@dataclass(frozen=True)
class Part:
    where: str  # "PDF page 7", "Word file, footnotes", "XLSX sheet Chronology, cell F12"
    text: str
    address: bool = False  # a link address or file name: words may be joined by - _ + . / %


def address_words(value: str) -> str:
    """A link address as words: percent-encoding undone, joiners turned to spaces, so that
    "mark-stone-jailed-for-murder-of-zoe-obrien" reads as the words it is made of."""
    decoded = unquote(unquote(value))
    return "".join(" " if ch in "-_+./:?=&#%~,;@" else ch for ch in decoded)


def pdf_pages_text(pdf: bytes) -> list[str]:
    """The text of each page, as poppler's pdftotext reads it (what a reader can copy)."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True, timeout=300
    )
    pages = result.stdout.decode("utf-8", "replace").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


_STREAM_RE = re.compile(rb"(?s)obj\s*(<<.*?>>)\s*stream\r?\n")
_LENGTH_RE = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_TOKEN_RE = re.compile(rb"[(<%]")
_KEY_RE = re.compile(rb"/([A-Za-z]+)\s*$")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
_LABELS = {
    "URI": "PDF link address", "Title": "PDF title or outline entry", "Alt": "PDF tag text",
    "ActualText": "PDF tag text", "Contents": "PDF annotation text", "T": "PDF tag title", "E": "PDF tag text",
}  # fmt: skip
_ADDRESSES = {"URI", "F", "UF", "D", "Dest"}


def _pdf_bodies(pdf: bytes) -> Iterator[tuple[str, bytes]]:
    """The PDF's objects as bytes, with the data of every stream taken out: the file outside its
    streams, each object stream decompressed (where most objects are), and XML metadata. Page
    contents, fonts and images are left out: the text they draw is what pdftotext reads."""
    outside: list[bytes] = []
    position = 0
    for match in _STREAM_RE.finditer(pdf):
        if match.start() < position:
            continue
        dictionary = match.group(1)
        start = match.end()
        length = _LENGTH_RE.search(dictionary)
        end = start + int(length.group(1)) if length else pdf.find(b"endstream", start)
        outside.append(pdf[position : match.start(1) + len(dictionary)])
        data = pdf[start:end]
        if b"/FlateDecode" in dictionary and (b"/ObjStm" in dictionary or b"/Metadata" in dictionary):
            data = zlib.decompress(data)
        if b"/ObjStm" in dictionary:
            yield "objects", data
        elif b"/Metadata" in dictionary:
            yield "metadata", data
        position = end
    outside.append(pdf[position:])
    yield "objects", b"".join(outside)


def _literal(data: bytes, start: int) -> tuple[bytes, int]:
    """A literal string from the "(" at ``start``: its bytes and the index after its ")"."""
    out = bytearray()
    depth, i, n = 1, start + 1, len(data)
    while i < n:
        ch = data[i : i + 1]
        if ch == b"\\":
            following = data[i + 1 : i + 2]
            if following in _ESCAPES:
                out += _ESCAPES[following]
                i += 2
            elif following.isdigit():
                digits = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4])
                out.append(int(digits.group(), 8) & 0xFF if digits else 0)
                i += 1 + (len(digits.group()) if digits else 1)
            elif following in (b"\r", b"\n"):
                i += 3 if data[i + 1 : i + 3] == b"\r\n" else 2
            else:
                i += 1
            continue
        if ch == b"(":
            depth += 1
        elif ch == b")":
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out += ch
        i += 1
    return bytes(out), n


def _decoded(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", "replace")
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    return raw.decode("latin-1")


def _pdf_strings(pdf: bytes) -> Iterator[Part]:
    """Every string object in the PDF (link annotations and their addresses, the outline, the
    structure tags' alternative and actual text, the document information) and its XMP metadata,
    each labelled by the key it is the value of."""
    for kind, data in _pdf_bodies(pdf):
        if kind == "metadata":
            yield Part("PDF metadata (XMP)", data.decode("utf-8", "replace"))
            continue
        i = 0
        while True:
            match = _TOKEN_RE.search(data, i)
            if match is None:
                break
            start = match.start()
            token = data[start : start + 1]
            if token == b"%":
                line_end = data.find(b"\n", start)
                i = len(data) if line_end == -1 else line_end + 1
                continue
            if token == b"<":
                if data[start + 1 : start + 2] == b"<":
                    i = start + 2
                    continue
                end = data.find(b">", start)
                end = len(data) if end == -1 else end
                hex_digits = re.sub(rb"\s", b"", data[start + 1 : end])
                raw = (
                    bytes.fromhex((hex_digits + b"0" * (len(hex_digits) % 2)).decode("ascii", "replace"))
                    if re.fullmatch(rb"[0-9A-Fa-f]*", hex_digits)
                    else b""
                )
                i = end + 1
            else:
                raw, i = _literal(data, start)
            key = _KEY_RE.search(data[max(0, start - 40) : start])
            name = key.group(1).decode("ascii") if key else ""
            label = (
                f"PDF information ({name})"
                if name in ("Producer", "Creator", "Author", "Subject", "Keywords")
                else _LABELS.get(name, "PDF string")
            )
            text = _decoded(raw)
            if text.strip():
                yield Part(label, text, address=name in _ADDRESSES)


def pdf_parts(pdf: bytes) -> list[Part]:
    parts = [Part(f"PDF page {number}", text) for number, text in enumerate(pdf_pages_text(pdf), start=1)]
    parts += list(_pdf_strings(pdf))
    return parts


def _xml_lines(root: ElementTree.Element) -> Iterator[str]:
    paragraphs = list(root.iter(f"{_W}p"))
    if paragraphs:
        for paragraph in paragraphs:
            yield "".join(el.text or "" for el in paragraph.iter() if el.tag in (f"{_W}t", f"{_W}instrText"))
    else:
        yield "\n".join(text for el in root.iter() for text in [el.text, el.tail] if text and text.strip())


def docx_parts(data: bytes) -> list[Part]:
    parts: list[Part] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.endswith(".xml") or name.endswith(".rels")):
                continue
            label = "Word file, " + name.removeprefix("word/").removesuffix(".xml")
            root = ElementTree.fromstring(archive.read(name))
            if name == "word/document.xml":
                for number, line in enumerate(_xml_lines(root), start=1):
                    if line.strip():
                        parts.append(Part(f"Word file, body paragraph {number}", line))
            else:
                text = "\n".join(_xml_lines(root))
                if text.strip():
                    parts.append(Part(label, text))
            parts += _attribute_parts(root, label)
    return parts


def _attribute_parts(root: ElementTree.Element, label: str) -> list[Part]:
    """Every attribute value of an XML part that could carry words: relationship targets (link
    addresses), alternative text, names. Not styles, measures or ids."""
    parts = []
    for element in root.iter():
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1]
            if local in _SKIPPED_ATTRIBUTES or not value or value.isdigit():
                continue
            parts.append(Part(f"{label} ({local})", value, address=local in ("Target", "href", "anchor")))
    return parts


_CELL_RE = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_CELL_REF_RE = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_CELL_TYPE_RE = re.compile(rb'\bt="(\w+)"')
_VALUE_RE = re.compile(rb"<v>(.*?)</v>", re.S)
_FORMULA_RE = re.compile(rb"<f(?:\s[^>]*)?>(.*?)</f>", re.S)
_TEXT_RE = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_SHEET_RE = re.compile(rb"<sheet\b([^>]*)>")
_REL_RE = re.compile(rb"<Relationship\b([^>]*)>")


def _attribute(tag: bytes, name: bytes) -> bytes:
    found = re.search(rb"(?:^|\s)" + name + rb'="([^"]*)"', tag)
    return found.group(1) if found else b""


def _xml_text(raw: bytes) -> str:
    return html.unescape(raw.decode("utf-8", "replace"))


_BUILT_IN_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_XF_RE = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_NUMFMT_RE = re.compile(rb"<numFmt\b([^>]*)/?>")
_STYLE_RE = re.compile(rb"<xf\b([^>]*)/?>")
_DATE_CODE_RE = re.compile(r"[dmy]", re.IGNORECASE)


def _date_styles(styles: bytes) -> set[int]:
    """The cell styles that show a number as a date (a built-in date format, or one of the
    workbook's own whose code has days, months or years)."""
    custom = {}
    for tag in _NUMFMT_RE.findall(styles):
        code = re.sub(r'"[^"]*"|\[[^]]*\]', "", html.unescape(_attribute(tag, b"formatCode").decode()))
        custom[int(_attribute(tag, b"numFmtId") or 0)] = bool(_DATE_CODE_RE.search(code))
    found = _XF_RE.search(styles)
    dates = set()
    for index, tag in enumerate(_STYLE_RE.findall(found.group(1) if found else b"")):
        number_format = int(_attribute(tag, b"numFmtId") or 0)
        if number_format in _BUILT_IN_DATE_FORMATS or custom.get(number_format):
            dates.add(index)
    return dates


def _excel_date(serial: bytes) -> str:
    try:
        day = datetime.date(1899, 12, 30) + datetime.timedelta(days=int(float(serial)))
    except (ValueError, OverflowError):
        return ""
    return day.isoformat()


def _xlsx_shared_strings(archive: zipfile.ZipFile, names: list[str]) -> list[str]:
    if "xl/sharedStrings.xml" not in names:
        return []
    return [
        "".join(_xml_text(t) for t in _TEXT_RE.findall(item.group(1)))
        for item in re.finditer(rb"<si>(.*?)</si>", archive.read("xl/sharedStrings.xml"), re.S)
    ]


def _xlsx_sheet_names(archive: zipfile.ZipFile, names: list[str]) -> tuple[dict[str, str], list[str]]:
    """Each sheet's part name ("xl/worksheets/sheet1.xml") with the name it shows, and the names
    in the workbook's order."""
    sheets: dict[str, str] = {}
    titles: list[str] = []
    if "xl/workbook.xml" in names and "xl/_rels/workbook.xml.rels" in names:
        targets = {
            _attribute(tag, b"Id"): _attribute(tag, b"Target")
            for tag in _REL_RE.findall(archive.read("xl/_rels/workbook.xml.rels"))
        }
        for tag in _SHEET_RE.findall(archive.read("xl/workbook.xml")):
            name, rel = _attribute(tag, b"name"), _attribute(tag, b"r:id")
            target = targets.get(rel, b"").decode().lstrip("/").removeprefix("xl/")
            sheets[f"xl/{target}"] = _xml_text(name)
            titles.append(_xml_text(name))
    return sheets, titles


def _xlsx_cell_text(attributes: bytes, inner: bytes, shared: list[str], date_styles: set[int]) -> str:
    """What a cell shows as text; empty for a boolean, an error or a plain number."""
    kind_match = _CELL_TYPE_RE.search(attributes)
    kind = kind_match.group(1) if kind_match else b"n"
    if kind == b"inlineStr":
        return "".join(_xml_text(t) for t in _TEXT_RE.findall(inner))
    value = _VALUE_RE.search(inner)
    if kind == b"s":
        return shared[int(value.group(1))] if value and value.group(1).isdigit() else ""
    if kind in (b"str", b"e", b"d"):  # a "d" cell holds an ISO date
        return _xml_text(value.group(1)) if value else ""
    if kind == b"n":
        # A number shown as a date: read as one (a date of birth in a date cell).
        style = _attribute(attributes, b"s")
        if not (value and style.isdigit() and int(style) in date_styles):
            return ""
        return _excel_date(value.group(1))
    return ""  # a boolean or an error


def _xlsx_sheet_parts(content: bytes, title: str, shared: list[str], date_styles: set[int]) -> list[Part]:
    """Every cell's formula and text in one sheet."""
    parts: list[Part] = []
    for cell in _CELL_RE.finditer(content):
        attributes, inner = cell.group(1), cell.group(2) or b""
        reference = _CELL_REF_RE.search(attributes)
        cell_name = reference.group(1).decode() if reference else "?"
        formula = _FORMULA_RE.search(inner)
        if formula and formula.group(1).strip():
            parts.append(Part(f"XLSX sheet {title}, cell {cell_name}", "=" + _xml_text(formula.group(1))))
        if text := _xlsx_cell_text(attributes, inner, shared, date_styles):
            parts.append(Part(f"XLSX sheet {title}, cell {cell_name}", text))
    return parts


def _xlsx_other_parts(name: str, content: bytes) -> list[Part]:
    """A part that is not a sheet (properties, comments, drawings): its text and attributes."""
    label = "XLSX file, " + name.removeprefix("xl/").removesuffix(".xml")
    root = ElementTree.fromstring(content)
    text = "\n".join(t for el in root.iter() for t in (el.text, el.tail) if t and t.strip())
    parts = [Part(label, text)] if text.strip() else []
    return parts + _attribute_parts(root, label)


def xlsx_parts(data: bytes) -> list[Part]:
    """Every cell of every sheet (shared, inline and formula strings), the sheet names, and every
    other part of the workbook (properties, comments, drawings) as in a Word file. The sheets'
    XML is read directly: a 100,000-row export is read in a second or two."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        shared = _xlsx_shared_strings(archive, names)
        date_styles = _date_styles(archive.read("xl/styles.xml")) if "xl/styles.xml" in names else set()
        sheets, titles = _xlsx_sheet_names(archive, names)
        parts = [Part("XLSX sheet name", title) for title in titles]
        for name in names:
            if not (name.endswith(".xml") or name.endswith(".rels")) or name == "xl/sharedStrings.xml":
                continue
            content = archive.read(name)
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                parts += _xlsx_sheet_parts(content, sheets.get(name, name), shared, date_styles)
            else:
                parts += _xlsx_other_parts(name, content)
    return parts


def csv_parts(data: bytes) -> list[Part]:
    text = data.decode("utf-8-sig", "replace")
    return [
        Part(f"CSV row {row_number}, column {column}", value)
        for row_number, row in enumerate(csv.reader(io.StringIO(text)), start=1)
        for column, value in enumerate(row, start=1)
        if value
    ]


def json_parts(data: bytes) -> list[Part]:
    parts: list[Part] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                parts.append(Part(f"JSON key at {path}", str(key)))
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}[{index}]")
        elif isinstance(value, str) and value:
            parts.append(Part(f"JSON {path}", value))

    walk(json.loads(data.decode("utf-8")), "$")
    return parts


def html_bundle_parts(data: bytes) -> list[Part]:
    """Web pages in a zip: every file's name, text, link addresses and metadata
    (reviews.publication.web_files)."""
    from reviews.publication.web_files import bundle_parts

    return bundle_parts(data)


READERS = {
    "pdf": pdf_parts, "docx": docx_parts, "xlsx": xlsx_parts, "csv": csv_parts, "json": json_parts,
    "html": html_bundle_parts,
}  # fmt: skip


def file_parts(fmt: str, data: bytes) -> list[Part]:
    return READERS[fmt](data)
