"""Pure chronology importers: the bytes of an uploaded CSV or XLSX in, parsed rows and issues out.

No database and no Django: the caller decides what to do with a ParseResult (import every row
only if `result.ok`, otherwise show every issue). The browser's entry form validates with
row_from_cells, so a typed entry and an uploaded row follow the same rules."""

from .columns import COLUMN_LABELS, COLUMNS, column_for_header
from .csv_reader import parse_csv
from .detect import MB, sniff
from .results import FileRefused, ImportIssue, ParsedRow, ParseResult, result_dumps, result_loads
from .rows import LIMITS, row_from_cells
from .xlsx_reader import MAX_CELLS, MAX_UNPACKED_BYTES, parse_xlsx

__all__ = [
    "COLUMNS",
    "COLUMN_LABELS",
    "LIMITS",
    "MAX_CELLS",
    "MAX_UNPACKED_BYTES",
    "FileRefused",
    "ImportIssue",
    "ParseResult",
    "ParsedRow",
    "column_for_header",
    "parse_chronology_file",
    "result_dumps",
    "result_loads",
    "row_from_cells",
    "sniff",
]


def parse_chronology_file(
    data: bytes,
    *,
    filename: str = "",
    sheet: str | None = None,
    max_bytes: int = 10 * MB,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    max_cells: int = MAX_CELLS,
) -> ParseResult:
    """Read an agency chronology upload. Raises FileRefused when the file cannot be read at all.

    `filename` is accepted for the caller's convenience but never decides anything: the type is
    read from the content, as a renamed PDF or .xls must be refused whatever it is called.
    `sheet` picks an XLSX worksheet by name (case-insensitive); it is ignored for CSV, as are the
    limits on what a workbook unpacks to and on the cells of its sheet."""
    if sniff(data, max_bytes=max_bytes) == "xlsx":
        return parse_xlsx(data, sheet=sheet, max_unpacked_bytes=max_unpacked_bytes, max_cells=max_cells)
    return parse_csv(data)
