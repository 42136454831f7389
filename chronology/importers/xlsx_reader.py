"""XLSX workbooks, read with openpyxl in read-only mode (rows are streamed, not loaded at once)."""

import io
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook

from .results import ERROR, WARNING, FileRefused, ImportIssue, ParseResult
from .table import NoHeaderRow, ReadFailed, Row, read_table

_DAMAGED = "This XLSX workbook is damaged and cannot be read: open it in Excel, save it again and upload that."


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def choose_sheet(worksheets: list[Any], sheet: str | None) -> tuple[Any | None, list[ImportIssue]]:
    """The worksheet to read, and file-level issues about the choice."""
    names = [worksheet.title for worksheet in worksheets]
    if not worksheets:
        return None, [ImportIssue(None, None, "The workbook has no worksheets", ERROR)]
    if sheet and sheet.strip():
        wanted = sheet.strip().casefold()
        for worksheet in worksheets:
            if worksheet.title.strip().casefold() == wanted:
                return worksheet, []
        message = f'There is no sheet called "{sheet.strip()}"; the sheets are {_quoted(names)}'
        return None, [ImportIssue(None, None, message, ERROR)]
    if len(worksheets) == 1:
        return worksheets[0], []
    # Agencies keep lookup lists and notes in other (often hidden) sheets: prefer a visible
    # sheet named for the chronology, then the first visible sheet.
    visible = [worksheet for worksheet in worksheets if worksheet.sheet_state == "visible"] or worksheets
    named = [worksheet for worksheet in visible if "chronology" in worksheet.title.casefold()]
    chosen = named[0] if len(named) == 1 else visible[0]
    others = [name for name in names if name != chosen.title]
    message = f'Read the sheet "{chosen.title}"; the other sheets ({_quoted(others)}) were not imported'
    return chosen, [ImportIssue(None, None, message, WARNING)]


def parse_xlsx(data: bytes, *, sheet: str | None) -> ParseResult:
    result = ParseResult()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises almost anything (KeyError, XML errors, TypeError) on a bad file
        raise FileRefused(_DAMAGED) from exc
    try:
        worksheet, sheet_issues = choose_sheet(list(workbook.worksheets), sheet)
        if worksheet is None:
            result.issues.extend(sheet_issues)
            return result
        result.sheet = worksheet.title
        # The size a workbook declares for a sheet is often wrong (too small when written by other
        # tools); forget it and read every row and cell there is.
        worksheet.reset_dimensions()
        try:
            read_table(_numbered(worksheet), result)
        except NoHeaderRow:
            result.issues.append(ImportIssue(None, None, f'The sheet "{worksheet.title}" is blank', ERROR))
        result.issues[:0] = sheet_issues
        return result
    finally:
        workbook.close()


def _numbered(worksheet: Any) -> Iterator[Row]:
    # Read-only mode yields an empty row for each row missing from the file, so counting gives
    # the row numbers Excel shows.
    rows = worksheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # the sheet's XML is parsed as we go: damage shows up here
            raise ReadFailed(number + 1, _DAMAGED) from exc
        number += 1
        yield number, values
