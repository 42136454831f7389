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
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import zipfile
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


def _pdf_strings(pdf: bytes) -> Iterator[Part]:
    """Every string in the PDF's object tree, and its XMP metadata. Page content streams and
    fonts are not walked: the text they draw is what pdftotext reads."""
    from pypdf import PdfReader
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        StreamObject,
        TextStringObject,
    )  # fmt: skip

    def text_of(value: object) -> str | None:
        if isinstance(value, TextStringObject):
            return str(value)
        if isinstance(value, ByteStringObject):
            return bytes(value).decode("latin-1")
        return None

    labels = {"/URI": "PDF link address", "/Title": "PDF outline or title", "/Alt": "PDF tag text",
              "/ActualText": "PDF tag text", "/Contents": "PDF annotation text"}  # fmt: skip
    addresses = {"/URI", "/F", "/UF", "/D", "/Dest"}
    reader = PdfReader(io.BytesIO(pdf))
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[object, str]] = [
        (reader.trailer.get("/Root"), "PDF catalogue"),
        (reader.trailer.get("/Info"), "PDF information"),
    ]
    while stack:
        obj, where = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, StreamObject):
            if obj.get("/Type") == "/Metadata" or obj.get("/Subtype") == "/XML":
                yield Part("PDF metadata (XMP)", obj.get_data().decode("utf-8", "replace"))
            continue
        if isinstance(obj, DictionaryObject):
            for name, value in obj.items():
                if name in ("/Resources", "/Font", "/Parent", "/P", "/Pg", "/Prev", "/Last") or isinstance(
                    value, NameObject
                ):
                    continue  # fonts; links back up the tree (reached from the top already); names
                text = text_of(value)
                if text is not None:
                    label = f"{where} ({name[1:]})" if where == "PDF information" else labels.get(name, where)
                    yield Part(label, text, address=name in addresses)
                elif isinstance(value, (DictionaryObject, ArrayObject, IndirectObject)):
                    stack.append((value, where))
        elif isinstance(obj, ArrayObject):
            for value in obj:
                text = text_of(value)
                if text is not None:
                    yield Part(where, text)
                elif isinstance(value, (DictionaryObject, ArrayObject, IndirectObject)):
                    stack.append((value, where))


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
            for element in root.iter():
                for attribute, value in element.attrib.items():
                    local = attribute.rsplit("}", 1)[-1]
                    if local in _SKIPPED_ATTRIBUTES or not value or value.isdigit():
                        continue
                    parts.append(Part(f"{label} ({local})", value, address=local in ("Target", "href", "anchor")))
    return parts


def xlsx_parts(data: bytes) -> list[Part]:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    parts: list[Part] = []
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        properties = workbook.properties
        for name in ("title", "subject", "creator", "keywords", "description", "category", "lastModifiedBy"):
            value = getattr(properties, name, None)
            if value:
                parts.append(Part(f"XLSX properties ({name})", str(value)))
        for sheet in workbook.worksheets:
            parts.append(Part("XLSX sheet name", sheet.title))
            for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                for column, value in enumerate(row, start=1):
                    if isinstance(value, str) and value:
                        where = f"XLSX sheet {sheet.title}, cell {get_column_letter(column)}{row_number}"
                        parts.append(Part(where, value))
    finally:
        workbook.close()
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


READERS = {"pdf": pdf_parts, "docx": docx_parts, "xlsx": xlsx_parts, "csv": csv_parts, "json": json_parts}


def file_parts(fmt: str, data: bytes) -> list[Part]:
    return READERS[fmt](data)
