"""Pure chronology importers: the bytes of an uploaded CSV or XLSX in, parsed rows and issues out.

No database and no Django: the caller decides what to do with a ParseResult (import every row
only if `result.ok`, otherwise show every issue). The browser's entry form validates with
row_from_cells, so a typed entry and an uploaded row follow the same rules."""

from .columns import COLUMN_LABELS, COLUMNS, column_for_header
from .csv_reader import parse_csv
from .detect import MB, sniff
from .results import FileRefused, ImportIssue, ParsedRow, ParseResult
from .rows import LIMITS, row_from_cells
from .xlsx_reader import parse_xlsx

__all__ = [
    "COLUMNS",
    "COLUMN_LABELS",
    "LIMITS",
    "FileRefused",
    "ImportIssue",
    "ParseResult",
    "ParsedRow",
    "column_for_header",
    "parse_chronology_file",
    "row_from_cells",
]


def parse_chronology_file(
    data: bytes, *, filename: str = "", sheet: str | None = None, max_bytes: int = 10 * MB
) -> ParseResult:
    """Read an agency chronology upload. Raises FileRefused when the file cannot be read at all.

    `filename` is accepted for the caller's convenience but never decides anything: the type is
    read from the content, as a renamed PDF or .xls must be refused whatever it is called.
    `sheet` picks an XLSX worksheet by name (case-insensitive); it is ignored for CSV."""
    if sniff(data, max_bytes=max_bytes) == "xlsx":
        return parse_xlsx(data, sheet=sheet)
    return parse_csv(data)
