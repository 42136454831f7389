"""Every distinct text of a finished XLSX, CSV or JSON export, for the check's first pass.

reviews.publication.files reads such a file cell by cell into a labelled part each: for 100,000
entries, millions of parts, most of them the same few texts ("No", an agency, a key). The check
reads every cell here first, keeping each distinct text once with no label; only when that finds
something is the file read again into labelled parts to say where."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from itertools import chain
from typing import Any, NamedTuple

from reviews.publication.files import (
    _CELL_TYPE_RE,
    _FORMULA_RE,
    _TEXT_RE,
    _attribute,
    _date_styles,
    _xlsx_cell_text,
    _xlsx_other_parts,
    _xlsx_shared_strings,
    _xlsx_sheet_names,
    _xml_text,
)

# A cell, without its place: its attributes and what it holds, up to the first "</c>" (read a run
# of characters that are not "<" at a time: a fifth faster than a lazy ".*?" on a large sheet).
_PLACELESS_CELL_RE = re.compile(rb'<c(?:\sr="[A-Z]+[0-9]+")?(\s[^>]*?|)(?:/>|>([^<]*(?:<(?!/c>)[^<]*)*)</c>)')


class FileTexts(NamedTuple):
    """Every distinct text of a finished file: the texts, and apart the link addresses (which
    the check reads as names may be run together in every word of them)."""

    texts: set[str]
    addresses: set[str]


def _csv_texts(data: bytes) -> FileTexts:
    texts = set(chain.from_iterable(csv.reader(io.StringIO(data.decode("utf-8-sig", "replace")))))
    texts.discard("")
    return FileTexts(texts, set())


def _json_texts(data: bytes) -> FileTexts:
    """Every key and string value, read in the one parse that also refuses a file that is not
    JSON (as json_parts does): each object hands its keys and strings over as it is read, and
    is never built (a large export is hundreds of thousands of objects)."""
    texts: set[str] = set()
    add = texts.add

    def strings(items: list[Any]) -> None:
        for item in items:
            if type(item) is str:
                add(item)
            elif type(item) is list:
                strings(item)

    def take(pairs: list[tuple[str, Any]]) -> None:
        for key, value in pairs:
            add(key)
            if type(value) is str:
                add(value)
            elif type(value) is list:
                strings(value)

    strings([json.loads(data.decode("utf-8"), object_pairs_hook=take)])
    texts.discard("")
    return FileTexts(texts, set())


def _xlsx_texts(data: bytes) -> FileTexts:
    """Every cell's formula and text of every sheet (cells alike but for their place read once),
    the sheet names and every other part, as xlsx_parts reads them."""
    found = FileTexts(set(), set())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        shared = _xlsx_shared_strings(archive, names)
        date_styles = _date_styles(archive.read("xl/styles.xml")) if "xl/styles.xml" in names else set()
        sheets, titles = _xlsx_sheet_names(archive, names)
        found.texts.update(titles)
        for name in names:
            if not (name.endswith(".xml") or name.endswith(".rels")) or name == "xl/sharedStrings.xml":
                continue
            content = archive.read(name)
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                for part in _xlsx_other_parts(name, content):
                    (found.addresses if part.address else found.texts).add(part.text)
                continue
            found.texts.update(_xlsx_sheet_texts(content, shared, date_styles))
    return found


def _xlsx_sheet_texts(content: bytes, shared: list[str], date_styles: set[int]) -> set[str]:
    """Every distinct formula and text of one sheet's cells, as _xlsx_sheet_parts reads them.
    Cells are taken by their attributes (a few: the style and type), each read once: an inline
    string's text is read straight away, and a plain number's cells (no formula, a style that is
    not a date) hold no text at all."""
    texts: set[str] = set()
    by_attributes: dict[bytes, list[bytes]] = {}
    for attributes, inner in set(_PLACELESS_CELL_RE.findall(content)):
        by_attributes.setdefault(attributes, []).append(inner)
    for attributes, inners in by_attributes.items():
        kind_match = _CELL_TYPE_RE.search(attributes)
        kind = kind_match.group(1) if kind_match else b"n"
        style = _attribute(attributes, b"s")
        plain_number = kind == b"n" and not (style.isdigit() and int(style) in date_styles)
        for inner in inners:
            if b"<f" in inner and (formula := _FORMULA_RE.search(inner)) and formula.group(1).strip():
                texts.add("=" + _xml_text(formula.group(1)))
            if plain_number:
                continue
            if kind == b"inlineStr":
                texts.add("".join(_xml_text(t) for t in _TEXT_RE.findall(inner)))
            else:
                texts.add(_xlsx_cell_text(attributes, inner, shared, date_styles))
    texts.discard("")
    return texts


DISTINCT_READERS = {"xlsx": _xlsx_texts, "csv": _csv_texts, "json": _json_texts}


def file_texts(fmt: str, data: bytes) -> FileTexts | None:
    """Every distinct text the file's parts hold, the addresses apart, or None for a format read
    only part by part (PDF, DOCX)."""
    reader = DISTINCT_READERS.get(fmt)
    return reader(data) if reader else None


def distinct_texts(fmt: str, data: bytes) -> set[tuple[str, bool]] | None:
    """Every distinct (text, is_address) the file's parts hold (``file_texts``, as file_parts
    names them), or None for a format read only part by part."""
    found = file_texts(fmt, data)
    if found is None:
        return None
    return {(text, False) for text in found.texts} | {(address, True) for address in found.addresses}
