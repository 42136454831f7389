"""An XLSX is a zip of XML parts: what is checked in the zip before the workbook is read at all.

A workbook reader (calamine, as any other) inflates the parts it needs and keeps them in memory, and
lays a sheet's cells out as one grid from its first used cell to its last. So two small files can
cost a great deal: one whose parts inflate to hundreds of megabytes (a "zip bomb": the shared
strings of a 200 KB file can unpack to 199 MB), and one whose sheet uses A1 and XFD1048576 (a grid
of 17 billion cells from a few bytes of XML). Both are refused here, from the bytes alone:

- every part is inflated once, in chunks that are counted and dropped, so the size is what the data
  really unpacks to, whatever the zip directory claims;
- the chosen sheet's cell references are read to find the last row and column it uses."""

import io
import re
import struct
import zipfile
import zlib
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

from .detect import megabytes
from .results import FileRefused
from .table import column_letter

DAMAGED = "This XLSX workbook is damaged and cannot be read: open it in Excel, save it again and upload that."
# Excel writes a few dozen parts; pictures and embedded objects add some. Thousands mean something else.
MAX_PARTS = 2000
_CHUNK = 1024 * 1024
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
# A member's local file header (PKWARE APPNOTE 4.3.7), laid out as zipfile reads it.
_LOCAL_HEADER = "<4s2B4HL2L2H"
_LOCAL_HEADER_SIGNATURE = b"PK\003\004"
_LOCAL_HEADER_SIZE = struct.calcsize(_LOCAL_HEADER)

# Cell tags other than "<c " (but not "<col"), and cell tags with a namespace prefix ("<x:c").
_OTHER_CELL_TAG = re.compile(rb"<c[>/\t\n\r]")
_PREFIXED_CELL_TAG = re.compile(rb":c[\s/>]")
# A cell as spreadsheets write it, its r attribute first: <c r="B12" ...>.
_PLAIN_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
_PLAIN_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}([0-9]+)"')
# A cell element (<c>, or <x:c> with a namespace prefix), with or without attributes.
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
# The column letters of a cell's r="B12" attribute, wherever it stands among the cell's attributes.
_CELL_COLUMN = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?(?<=\s)r\s*=\s*[\"']([A-Za-z]+)[0-9]")
# The row number of any r attribute: a cell's r="B12" or a row's r="12".
_ROW_NUMBER = re.compile(rb"(?<=\s)r\s*=\s*[\"'][A-Za-z]*([0-9]+)[\"']")
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_ROW_WITH_NUMBER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?(?<=\s)r\s*=")


def unpacked_size_check(data: bytes, *, limit: int) -> None:
    """Refuse a workbook whose parts unpack to more than `limit` bytes in all, or that is not a zip
    Excel could have written (encrypted or unusually compressed parts, sizes that do not match)."""
    archive = _open(data)
    members = archive.infolist()
    if len(members) > MAX_PARTS:
        raise FileRefused(f"This workbook has {len(members):,} parts; an XLSX workbook has a few dozen.")
    declared = sum(member.file_size for member in members)
    if declared > limit:
        raise FileRefused(f"The workbook unpacks to {megabytes(declared)}; the limit is {megabytes(limit)}.")
    # The directory may lie, and a reader need not stop where it says: inflate every part and count.
    total = 0
    for member in members:
        total += _inflated_size(data, member, allowance=limit - total)
        if total > limit:
            raise FileRefused(f"The workbook unpacks to more than {megabytes(limit)}, the limit.")


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # zipfile raises a grab-bag of exceptions on damaged archives
        raise FileRefused("This zip archive is damaged: it cannot be opened as an XLSX workbook.") from exc


def _inflated_size(data: bytes, member: zipfile.ZipInfo, *, allowance: int) -> int:
    """What the member really inflates to, counted up to `allowance` + 1 bytes and never held."""
    if member.flag_bits & 0x1:
        raise FileRefused("A part of this workbook is encrypted: remove the password, save it and upload it again.")
    try:
        header = struct.unpack_from(_LOCAL_HEADER, data, member.header_offset)
    except struct.error as exc:
        raise FileRefused(DAMAGED) from exc
    if header[0] != _LOCAL_HEADER_SIGNATURE:
        raise FileRefused(DAMAGED)
    # The local header's name and extra field lengths (fields 10 and 11) may differ from the directory's.
    start = member.header_offset + _LOCAL_HEADER_SIZE + header[10] + header[11]
    compressed = memoryview(data)[start : start + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        size = len(compressed)
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        size = _deflated_size(compressed, allowance=allowance)
    else:
        raise FileRefused(
            "A part of this workbook is compressed in a way Excel does not use: open it in Excel, save it again "
            "and upload that."
        )
    if size <= allowance and size != member.file_size:
        raise FileRefused(DAMAGED)
    return size


def _deflated_size(compressed: memoryview, *, allowance: int) -> int:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    pending: bytes | memoryview = compressed
    try:
        while pending and not inflater.eof:
            size += len(inflater.decompress(pending, _CHUNK))
            if size > allowance:
                return size
            pending = inflater.unconsumed_tail
        while not inflater.eof and size <= allowance:  # output still buffered inside the inflater
            chunk = inflater.decompress(b"", _CHUNK)
            if not chunk:
                break
            size += len(chunk)
    except zlib.error as exc:
        raise FileRefused(DAMAGED) from exc
    return size


def sheet_part(data: bytes, sheet: str) -> str:
    """The zip member holding the worksheet called `sheet`, found as Excel finds it: the workbook
    names the sheet's relationship, and the workbook's relationships name the part."""
    archive = _open(data)
    try:
        workbook = _xml(archive, _WORKBOOK)
        relationships = _xml(archive, _WORKBOOK_RELS)
    except Exception as exc:  # a missing part, or XML that does not parse
        raise FileRefused(DAMAGED) from exc
    relationship = next(
        (
            _attribute(element, "id")
            for element in workbook.iter()
            if _local(element.tag) == "sheet" and element.get("name") == sheet
        ),
        None,
    )
    for element in relationships.iter():
        if _local(element.tag) == "Relationship" and element.get("Id") == relationship:
            target = element.get("Target", "")
            # Targets are relative to xl/ unless they start at the root of the package.
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return _normalise(path)
    raise FileRefused(DAMAGED)


def _xml(archive: zipfile.ZipFile, name: str) -> Element:
    return ElementTree.fromstring(archive.read(name))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attribute(element: Element, name: str) -> str | None:
    """An attribute by its local name, in whichever namespace (transitional or strict OOXML)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


def sheet_extent(xml: bytes) -> tuple[int, int]:
    """The rows and columns of the grid a reader lays the sheet out in: up to its last used row and
    column. What Excel and other spreadsheets write (every cell's r first, no namespace prefix) is
    read with plain searches; anything else with a slower general reading."""
    cells = xml.count(b"<c ") + len(_OTHER_CELL_TAG.findall(xml))
    columns = _PLAIN_CELL_COLUMN.findall(xml)
    # A reference counted here is always a cell counted above, so equal counts mean every cell has one.
    if cells == len(columns) and not _PREFIXED_CELL_TAG.search(xml):
        last_column = max((_column_number(letters) for letters in set(columns)), default=0)
        del columns
        last_row = max((_number(digits) for digits in set(_PLAIN_CELL_ROW.findall(xml))), default=0)
        return last_row, last_column
    return _sheet_extent_bound(xml)


def _sheet_extent_bound(xml: bytes) -> tuple[int, int]:
    """The general reading: cells without an r attribute follow the one before them, so they are
    counted as if each stood one column further right, and rows without one as if each stood one
    row further down: a bound, never less than the grid."""
    referenced = _CELL_COLUMN.findall(xml)
    last_column = max((_column_number(letters) for letters in set(referenced)), default=0)
    last_row = max((_number(digits) for digits in set(_ROW_NUMBER.findall(xml))), default=0)
    cells_without_reference = len(_CELL.findall(xml)) - len(referenced)
    rows_without_number = len(_ROW.findall(xml)) - len(_ROW_WITH_NUMBER.findall(xml))
    return last_row + rows_without_number, last_column + cells_without_reference


def _number(digits: bytes) -> int:
    digits = digits.lstrip(b"0") or b"0"
    return int(digits) if len(digits) <= 12 else 10**12  # past any sheet: refused as too large


def _column_number(letters: bytes) -> int:
    if len(letters) > 6:
        return 10**9
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def cell_limit_check(data: bytes, *, sheet: str, part: str, limit: int) -> None:
    """Refuse a sheet whose grid (rows × columns up to its last used cell) is over `limit` cells."""
    try:
        xml = _open(data).read(part)
    except Exception as exc:
        raise FileRefused(DAMAGED) from exc
    rows, columns = sheet_extent(xml)
    del xml
    if rows * columns > limit:
        raise FileRefused(
            f'The sheet "{sheet}" uses cells up to {column_letter(columns - 1)}{rows}: {rows:,} rows by '
            f"{columns:,} columns is {rows * columns:,} cells, and the limit is {limit:,}. Delete the rows and "
            "columns past the chronology (Ctrl+End in Excel goes to the last cell in use), save it and upload it again."
        )
