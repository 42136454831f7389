"""An agency's own chronology written out in the import template: the same columns, headings and
date forms as the blank template (blank_template), so that the file uploads back unchanged.

- Date: a day as 09/08/2010 (a real date cell, shown DD/MM/YYYY, in XLSX); anything less precise
  as casereview shows it ("Aug 2010", "Summer 2017", "c. 2004", "1–15 May 2012"), which the
  importer reads back to the same span and precision.
- Time: HH:MM, 24-hour (HH:MM:SS when the seconds were recorded).
- Person(s): separated by "; ". Significant: Y or N.

Every text cell goes through ``spreadsheet_safe`` (casereview.spreadsheets): a cell that would
run as a formula gets a leading ``'``, which the importer drops again (table.py), so an entry
such as "- seen by GP" comes back as it went out."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from copy import copy
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from casereview.spreadsheets import spreadsheet_safe, xlsx_text

from .blank_template import HEADER_FILL, HEADER_FONT, WIDTHS, WRAPPED
from .columns import COLUMN_LABELS, COLUMNS

SHEET = "Chronology"
UK_DATE = "DD/MM/YYYY"


class Entry(Protocol):
    """What an entry of the chronology gives the template (ChronologyEntry, or a ParsedRow)."""

    date_start: datetime.date
    precision: str
    date_display: str
    time: datetime.time | None
    people: list[str]
    source: str
    practitioner: str
    event: str
    details: str
    outcome: str
    comment: str
    significant: bool


def _time_text(time: datetime.time | None) -> str:
    if time is None:
        return ""
    return time.strftime("%H:%M:%S" if time.second else "%H:%M")


def template_values(entry: Entry) -> dict[str, object]:
    """The entry's cells by column key; the date a real date for a day, else its text."""
    day = entry.precision == "day"
    return {
        "date": entry.date_start if day else entry.date_display,
        "time": _time_text(entry.time),
        "people": "; ".join(entry.people),
        "source": entry.source,
        "practitioner": entry.practitioner,
        "event": entry.event,
        "details": entry.details,
        "outcome": entry.outcome,
        "comment": entry.comment,
        "significant": "Y" if entry.significant else "N",
    }


def chronology_csv(entries: Iterable[Entry]) -> bytes:
    """The chronology as a CSV in the template: UTF-8 with a byte-order mark (Excel then opens
    it as UTF-8), a day written 09/08/2010."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([COLUMN_LABELS[column] for column in COLUMNS])
    for entry in entries:
        values = template_values(entry)
        date = values["date"]
        if isinstance(date, datetime.date):
            values["date"] = date.strftime("%d/%m/%Y")
        writer.writerow([spreadsheet_safe(values[column]) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8-sig")


def chronology_xlsx(entries: Iterable[Entry]) -> bytes:
    """The chronology as an XLSX workbook in the template: one sheet "Chronology", the header row
    frozen, a day as a real date cell. Streamed (openpyxl's write-only mode): a chronology can
    run to tens of thousands of entries."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "casereview"
    sheet = workbook.create_sheet(SHEET)
    settings: Any = sheet  # a streaming sheet has column widths; openpyxl's stubs leave them out
    for index, column in enumerate(COLUMNS, start=1):
        settings.column_dimensions[get_column_letter(index)].width = WIDTHS[column]
    sheet.freeze_panes = "A2"
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=COLUMN_LABELS[column])
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        header.append(cell)
    sheet.append(header)
    text_style, date_style = _styles(sheet)
    for entry in entries:
        values = template_values(entry)
        sheet.append([_cell(sheet, values[column], text_style, date_style) for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _styles(sheet: Any) -> tuple[Any, Any]:
    """The styles of text and date cells, registered once (looked up cell by cell, they cost
    more than writing the cells)."""
    text = WriteOnlyCell(sheet)
    text.alignment = WRAPPED
    date = WriteOnlyCell(sheet)
    date.alignment = WRAPPED
    date.number_format = UK_DATE
    return text._style, date._style  # type: ignore[attr-defined]  # openpyxl's style array, not in its stubs


def _cell(sheet: Any, value: object, text_style: Any, date_style: Any) -> Any:
    cell = WriteOnlyCell(sheet)
    if isinstance(value, datetime.date):
        cell.value = value
        cell._style = copy(date_style)  # type: ignore[attr-defined]
        return cell
    cell.value = xlsx_text(str(value))
    # openpyxl reads a string starting "=" as a formula; xlsx_text has defused any, and this
    # keeps every text cell text whatever openpyxl does.
    cell.data_type = "s"
    cell._style = copy(text_style)  # type: ignore[attr-defined]
    return cell
