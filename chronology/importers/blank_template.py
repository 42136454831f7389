"""The blank chronology template agencies can download: the columns casereview reads, with
three example rows showing the date forms it understands."""

from __future__ import annotations

import csv
import datetime
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from chronology.importers import COLUMN_LABELS, COLUMNS

EXAMPLES = [
    {
        "date": "09/08/2010",
        "time": "14:30",
        "people": "Mother; Child 1",
        "source": "Police incident log 1234-09082010",
        "practitioner": "Response officer",
        "event": "Domestic incident call-out",
        "details": (
            "Neighbour reported shouting at the address. Officers attended; mother said there had been an argument."
        ),
        "outcome": "DASH risk assessment completed: standard risk. Referral to children's social care.",
        "comment": "No history was checked before attending.",
        "significant": "Y",
    },
    {
        "date": "Aug 2010",
        "details": "Health visitor's records note a missed appointment during the month; exact date not recorded.",
        "source": "Health visiting record",
        "practitioner": "Health visitor",
        "event": "Missed appointment",
        "significant": "N",
    },
    {
        "date": "between 1 and 15 May 2012",
        "details": "Strategy discussion held; the record gives only the first half of May.",
        "source": "Children's social care case file",
        "practitioner": "Team manager",
        "event": "Strategy discussion",
        "significant": "Y",
    },
]
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1D3557")
WRAPPED = Alignment(wrap_text=True, vertical="top")
WIDTHS = {
    "date": 24,
    "time": 8,
    "people": 24,
    "source": 30,
    "practitioner": 22,
    "event": 24,
    "details": 60,
    "outcome": 40,
    "comment": 40,
    "significant": 12,
}


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([COLUMN_LABELS[column] for column in COLUMNS])
    for example in EXAMPLES:
        writer.writerow([example.get(column, "") for column in COLUMNS])
    # With a byte-order mark Excel opens it as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = "Chronology"
    sheet.append([COLUMN_LABELS[column] for column in COLUMNS])
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
    for number, example in enumerate(EXAMPLES):
        values: list[str | datetime.date] = [example.get(column, "") for column in COLUMNS]
        if number == 0:
            # A real date cell, as most agencies' spreadsheets have.
            values[COLUMNS.index("date")] = datetime.date(2010, 8, 9)
        sheet.append(values)
    sheet.cell(row=2, column=COLUMNS.index("date") + 1).number_format = "DD/MM/YYYY"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS[column]
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAPPED
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
