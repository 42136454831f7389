"""XLSX workbooks, read with calamine (a Rust reader: a 50,000-row sheet in well under a second)
once the zip has passed the checks in workbook_zip (unpacked size, then the chosen sheet's cells)."""

import io
from collections.abc import Iterator
from typing import Any

from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from .results import ERROR, WARNING, FileRefused, ImportIssue, ParseResult
from .table import NoHeaderRow, Row, read_table
from .workbook_zip import DAMAGED, cell_limit_check, sheet_part, unpacked_size_check

MB = 1024 * 1024
# What an upload may unpack to, all parts together, and the cells of the sheet read (rows × columns
# up to the last cell in use); the service passes the CHRONOLOGY_UPLOAD_MAX_* settings.
MAX_UNPACKED_BYTES = 50 * MB
MAX_CELLS = 2_000_000


def _quoted(names: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def choose_sheet(worksheets: list[Any], sheet: str | None) -> tuple[Any | None, list[ImportIssue]]:
    """The worksheet to read (a calamine SheetMetadata), and file-level issues about the choice."""
    names = [worksheet.name for worksheet in worksheets]
    if not worksheets:
        return None, [ImportIssue(None, None, "The workbook has no worksheets", ERROR)]
    if sheet and sheet.strip():
        wanted = sheet.strip().casefold()
        for worksheet in worksheets:
            if worksheet.name.strip().casefold() == wanted:
                return worksheet, []
        message = f'There is no sheet called "{sheet.strip()}"; the sheets are {_quoted(names)}'
        return None, [ImportIssue(None, None, message, ERROR)]
    if len(worksheets) == 1:
        return worksheets[0], []
    # Agencies keep lookup lists and notes in other (often hidden) sheets: prefer a visible
    # sheet named for the chronology, then the first visible sheet.
    visible = [worksheet for worksheet in worksheets if worksheet.visible == SheetVisibleEnum.Visible] or worksheets
    named = [worksheet for worksheet in visible if "chronology" in worksheet.name.casefold()]
    chosen = named[0] if len(named) == 1 else visible[0]
    others = [name for name in names if name != chosen.name]
    message = f'Read the sheet "{chosen.name}"; the other sheets ({_quoted(others)}) were not imported'
    return chosen, [ImportIssue(None, None, message, WARNING)]


def parse_xlsx(
    data: bytes, *, sheet: str | None, max_unpacked_bytes: int = MAX_UNPACKED_BYTES, max_cells: int = MAX_CELLS
) -> ParseResult:
    unpacked_size_check(data, limit=max_unpacked_bytes)
    result = ParseResult()
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine's errors (and a panic's) for a workbook it cannot open
        raise FileRefused(DAMAGED) from exc
    with workbook:
        # Chart sheets and macro sheets hold no rows.
        worksheets = [meta for meta in workbook.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet]
        chosen, sheet_issues = choose_sheet(worksheets, sheet)
        if chosen is None:
            result.issues.extend(sheet_issues)
            return result
        result.sheet = chosen.name
        cell_limit_check(data, sheet=chosen.name, part=sheet_part(data, chosen.name), limit=max_cells)
        try:
            worksheet = workbook.get_sheet_by_name(chosen.name)
        except CalamineError:
            # calamine reads the whole sheet at once, so damage is found before any row is read.
            message = (
                f'The sheet "{chosen.name}" is damaged and cannot be read: '
                "open the workbook in Excel, save it again and upload that"
            )
            result.issues.extend([*sheet_issues, ImportIssue(None, None, message, ERROR)])
            return result
        try:
            read_table(_numbered(worksheet), result)
        except NoHeaderRow:
            result.issues.append(ImportIssue(None, None, f'The sheet "{chosen.name}" is blank', ERROR))
        result.issues[:0] = sheet_issues
        return result


def _numbered(worksheet: CalamineSheet) -> Iterator[Row]:
    """Rows numbered as Excel shows them, with values in the columns Excel shows them in.

    calamine yields every row from row 1 (blank rows included) but starts each at the sheet's
    first used column: padding the row puts a value in column C back at position 2, so the
    columns a warning names are the author's."""
    start = worksheet.start
    if start is None:  # nothing in the sheet
        return
    padding: list[Any] = [None] * start[1]
    for number, values in enumerate(worksheet.iter_rows(), start=1):
        yield number, padding + values if padding else values
