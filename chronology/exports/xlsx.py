"""The integrated chronology as XLSX, streamed: 100,000 entries in a few seconds.

XlsxWriter makes the workbook (sheets, styles, column widths, frozen heading row, filter,
printed header and footer, properties, the gaps sheet) with the heading row and the first
entry's row written through its API. The other entries' rows are then written straight into
that sheet's XML as it is copied into the finished file, a chunk of rows at a time, each cell
the same XML XlsxWriter writes for the same value and style (inline strings; dates as serial
numbers in a date style), so one sheet is never held cell by cell in memory and a cell costs a
string format rather than a call chain. Every text cell goes through ``xlsx_text`` first:
control characters dropped, formula triggers escaped (PRODUCT.md section 5), the cell limit kept.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]  # no stubs, no py.typed
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from casereview.spreadsheets import xlsx_text
from chronology.exports.data import ExportChronology

CHUNK_ROWS = 2000  # rows written to the sheet's XML at a time
EXCEL_EPOCH = datetime.date(1899, 12, 30).toordinal()  # day 0 of Excel's 1900 date system
# Short texts repeat (agency, event, "Yes", "No", a designation): their cell XML is made once.
REPEATED_TEXT = 80
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_SHEET_DATA_END = b"</sheetData>"
_EXCEL_ESCAPE_RE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_DIMENSION_RE = re.compile(rb'<dimension ref="[^"]*"/>')

CellValue = str | int | datetime.date | None


def _xml_text(text: str) -> str:
    """Text as a cell's XML holds it: a carriage return as a character reference (XML would read
    a bare one back as a line feed), and text that reads as one of Excel's own escapes
    (``_x000D_``) with its underscore escaped (``_x005F_``), as XlsxWriter does."""
    if "_x" in text:
        text = _EXCEL_ESCAPE_RE.sub(r"_x005F\1", text)
    return text.translate(_ESCAPES)


def _options() -> dict[str, Any]:
    # Text is text: nothing XlsxWriter would otherwise turn into a formula, a number or a link.
    return {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False, "in_memory": True}


class _Styles:
    """The workbook's cell formats."""

    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format({"bold": True, "bg_color": "#DDDDDD", "text_wrap": True, "valign": "top"})
        self.text = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.date = workbook.add_format({"text_wrap": True, "valign": "top", "num_format": "dd/mm/yyyy"})


def write_value(sheet: Any, row: int, column: int, value: CellValue, styles: _Styles, truncated: str) -> None:
    """One cell through XlsxWriter's API, as the streamed rows write it."""
    if isinstance(value, str):
        text = xlsx_text(value, truncated=truncated)
        if text:
            sheet.write_string(row, column, text, styles.text)
        else:
            sheet.write_blank(row, column, None, styles.text)
    elif isinstance(value, datetime.date):
        sheet.write_number(row, column, value.toordinal() - EXCEL_EPOCH, styles.date)
    elif value is None:
        sheet.write_blank(row, column, None, styles.text)
    else:
        sheet.write_number(row, column, value, styles.text)


def prepare_sheet(
    sheet: Any, chronology: ExportChronology, headings: list[str], widths: list[int], rows: int, styles: _Styles
) -> None:
    """Widths, heading row (frozen, repeated on printed pages, filtered), A4 landscape, and the
    reference, marking and warning on printed pages as on the PDF's."""
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, rows, len(headings) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(0)
    # `&` starts a header code, so a literal one is doubled.
    left, right = (text.replace("&", "&&") for text in (chronology.reference, chronology.marking))
    centre = f"&C{chronology.personal_data}" if chronology.names == "real" else ""
    sheet.set_header(f"&L{left}{centre}&R{right}")
    sheet.set_footer("&RPage &P of &N")
    for column, heading in enumerate(headings):
        sheet.write_string(0, column, heading, styles.header)


class _RowWriter:
    """Rows of cells as sheet XML, in the styles XlsxWriter gave the workbook."""

    def __init__(self, columns: int, text_style: int, date_style: int, truncated: str) -> None:
        self.letters = [xl_col_to_name(column) for column in range(columns)]
        self.text_style, self.date_style, self.truncated = text_style, date_style, truncated
        self.repeated: dict[str, str] = {}

    def text(self, value: str) -> str:
        """What follows a text cell's reference: its style, type and inline string."""
        known = self.repeated.get(value)
        if known is not None:
            return known
        safe = xlsx_text(value, truncated=self.truncated)
        if safe:
            xml = f' s="{self.text_style}" t="inlineStr"><is><t xml:space="preserve">{_xml_text(safe)}</t></is></c>'
        else:
            xml = f' s="{self.text_style}"/>'
        if len(value) <= REPEATED_TEXT:
            self.repeated[value] = xml
        return xml

    def row(self, number: int, values: list[CellValue]) -> str:
        cells = []
        for letter, value in zip(self.letters, values, strict=True):
            if isinstance(value, str):
                cells.append(f'<c r="{letter}{number}"{self.text(value)}')
            elif isinstance(value, datetime.date):
                cells.append(
                    f'<c r="{letter}{number}" s="{self.date_style}"><v>{value.toordinal() - EXCEL_EPOCH}</v></c>'
                )
            elif value is None:
                cells.append(f'<c r="{letter}{number}" s="{self.text_style}"/>')
            else:
                cells.append(f'<c r="{letter}{number}" s="{self.text_style}"><v>{value}</v></c>')
        return f'<row r="{number}">{"".join(cells)}</row>'


def _style_index(workbook_format: Any) -> int:
    index = workbook_format.xf_index
    if index is None:  # a format no cell used (an empty sheet): any index, as no streamed row needs it
        return 0
    return int(index)


def streamed_workbook(
    build: Callable[[Any, _Styles], Any],
    streamed_rows: Iterable[list[CellValue]],
    *,
    first_row: int,
    last_row: int,
    columns: int,
    truncated: str,
) -> bytes:
    """The workbook ``build`` makes with XlsxWriter (given the workbook and its styles, it returns
    the sheet to stream into), with ``streamed_rows`` written into that sheet as rows
    ``first_row`` to ``last_row`` (1-based) and the sheet's dimension covering them."""
    made = io.BytesIO()
    workbook = xlsxwriter.Workbook(made, _options())
    styles = _Styles(workbook)
    sheet = build(workbook, styles)
    workbook.close()
    sheet_part = f"xl/worksheets/sheet{sheet.index + 1}.xml"
    writer = _RowWriter(columns, _style_index(styles.text), _style_index(styles.date), truncated)
    out = io.BytesIO()
    # The streamed sheet is most of the file: fast compression (a little larger, several times quicker).
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != sheet_part:
                target.writestr(info.filename, data)
                continue
            if last_row >= first_row:
                dimension = f'<dimension ref="A1:{xl_col_to_name(columns - 1)}{last_row}"/>'.encode()
                data = _DIMENSION_RE.sub(dimension, data, count=1)
            with target.open(info.filename, "w", force_zip64=True) as part:
                written = _write_sheet(part, data, writer, streamed_rows, first_row)
            if written != max(last_row, first_row - 1):
                raise ValueError(f"{written - first_row + 1} rows streamed, {last_row - first_row + 1} expected")
    return out.getvalue()


def _write_sheet(part: Any, sheet_xml: bytes, writer: _RowWriter, rows: Iterable[list[CellValue]], first: int) -> int:
    """The sheet's XML with the rows inserted before the end of its data; the last row's number."""
    end = sheet_xml.rindex(_SHEET_DATA_END)
    part.write(sheet_xml[:end])
    number = first - 1
    for chunk in _chunks(rows):
        lines = []
        for values in chunk:
            number += 1
            lines.append(writer.row(number, values))
        part.write("".join(lines).encode("utf-8"))
    part.write(sheet_xml[end:])
    return number


def _chunks(rows: Iterable[list[CellValue]]) -> Iterator[list[list[CellValue]]]:
    chunk: list[list[CellValue]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def chronology_workbook(
    chronology: ExportChronology,
    *,
    columns: tuple[tuple[str, int], ...],
    rows: Iterable[list[CellValue]],
    count: int,
    gap_rows: list[list[CellValue]],
    truncated: str,
    sheet_names: tuple[str, str],
) -> bytes:
    """The chronology on a first sheet (the ``count`` ``rows`` under the ``columns`` headings),
    the gaps on a second."""
    rows = iter(rows)
    first = next(rows, None)
    headings, widths = [name for name, _width in columns], [width for _name, width in columns]

    def build(workbook: Any, styles: _Styles) -> Any:
        workbook.set_properties({
            "title": f"{chronology.reference} integrated chronology", "subject": chronology.marking,
            "author": "casereview", "keywords": chronology.personal_data,
        })  # fmt: skip
        sheet = workbook.add_worksheet(sheet_names[0])
        prepare_sheet(sheet, chronology, headings, widths, count, styles)
        for column, value in enumerate(first or []):
            write_value(sheet, 1, column, value, styles, truncated)
        gaps = workbook.add_worksheet(sheet_names[1])
        prepare_sheet(gaps, chronology, ["From", "To", "Days", "Description"], [12, 12, 8, 50], len(gap_rows), styles)
        for number, gap in enumerate(gap_rows, start=1):
            for column, value in enumerate(gap):
                write_value(gaps, number, column, value, styles, truncated)
        return sheet

    return streamed_workbook(build, rows, first_row=3, last_row=count + 1, columns=len(columns), truncated=truncated)
