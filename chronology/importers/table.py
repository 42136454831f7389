"""From a sequence of spreadsheet rows to a ParseResult: find the header, match it, check each row.

CSV and XLSX readers both feed this (row number as Excel shows it, cell values) pairs, so the
two formats cannot drift apart in how they treat headers, blank rows or errors."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from casereview.spreadsheets import FORMULA_TRIGGERS

from .columns import COLUMN_LABELS, HeaderMatch, match_header
from .results import ERROR, WARNING, ImportIssue, ParseResult
from .rows import cell_text, row_from_cells

Row = tuple[int, Sequence[object]]

# How far below a wrong header row to look for the real one, to say so in the error.
_HEADER_SEARCH_ROWS = 20


class NoHeaderRow(Exception):
    """Every row is blank."""


class ReadFailed(Exception):
    """The reader cannot go on past this row (a damaged file, a quote never closed)."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


def column_letter(position: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA', as Excel names columns."""
    letters = ""
    number = position + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _is_blank(values: Sequence[object]) -> bool:
    for value in values:
        if value is not None and (not isinstance(value, str) or value.strip()):
            return False
    return True


def _unquoted(value: object) -> object:
    """A cell as its author meant it: Excel's text mark before what would otherwise run as a
    formula ("'=", "'-", "'+", "'@", as every spreadsheet casereview writes has them) is not part
    of the text, so "'- seen by GP" is "- seen by GP"."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def _quoted(texts: Iterable[str]) -> str:
    return ", ".join(f'"{text}"' for text in texts)


def read_table(rows: Iterable[Row], result: ParseResult) -> None:
    """Fill result.rows, result.columns and result.issues (file-level issues first, then by row)."""
    file_issues: list[ImportIssue] = []
    row_issues: list[ImportIssue] = []
    try:
        _read(iter(rows), result, file_issues, row_issues)
    except ReadFailed as exc:
        row_issues.append(ImportIssue(exc.row, None, exc.message, ERROR))
    result.issues.extend(file_issues)
    result.issues.extend(row_issues)


def _read(
    rows: Iterator[Row], result: ParseResult, file_issues: list[ImportIssue], row_issues: list[ImportIssue]
) -> None:
    header_row, headers = _header(rows)
    match = match_header(headers)
    result.columns = dict(match.found)
    file_issues.extend(_header_issues(match, headers, header_row))
    if match.missing:
        _point_at_real_header(rows, file_issues)
    if any(issue.level == ERROR for issue in file_issues):
        return
    has_source = "source" in match.indexes
    if not has_source:
        message = "There is no Source column: each entry should name the record it comes from"
        file_issues.append(ImportIssue(None, COLUMN_LABELS["source"], message, WARNING))
    layout = _Layout(positions=list(match.indexes.items()), width=len(headers), has_source=has_source,
                     unheaded=set(match.unheaded))  # fmt: skip
    if not _read_entries(rows, layout, result, file_issues, row_issues):
        message = f"There are no entries below the header row (row {header_row})"
        file_issues.append(ImportIssue(None, None, message, ERROR))


def _header(rows: Iterator[Row]) -> tuple[int, list[str]]:
    """The first row that is not blank, as its row number and its headings."""
    header = next((row for row in rows if not _is_blank(row[1])), None)
    if header is None:
        raise NoHeaderRow()
    header_row, header_values = header
    return header_row, [cell_text(value) for value in header_values]


def _header_issues(match: HeaderMatch, headers: list[str], header_row: int) -> list[ImportIssue]:
    """Headings that are not chronology columns, columns given twice, and columns missing."""
    issues = [
        ImportIssue(None, text, f'Column "{text}" is not a chronology column and will not be imported', WARNING)
        for _, text in match.unknown
    ]
    for key, first, second in match.duplicates:
        label = COLUMN_LABELS[key]
        issues.append(
            ImportIssue(None, label, f'Columns "{first}" and "{second}" are both the {label} column: keep one', ERROR)
        )
    for key in match.missing:
        label = COLUMN_LABELS[key]
        found = _quoted(text for text in headers if text) or "no headings"
        message = f"There is no {label} column; the header row (row {header_row}) has {found}"
        issues.append(ImportIssue(None, label, message, ERROR))
    return issues


@dataclass
class _Layout:
    """Where each column is, once the header is matched."""

    positions: list[tuple[str, int]]  # (column key, 0-based position)
    width: int  # how many headings the header row has
    has_source: bool
    # Positions under a blank heading: their values would be lost without a word, so each is
    # warned about once (as is each position past the last heading), then forgotten.
    unheaded: set[int]
    reported: set[int] = field(default_factory=set)


def _read_entries(
    rows: Iterator[Row],
    layout: _Layout,
    result: ParseResult,
    file_issues: list[ImportIssue],
    row_issues: list[ImportIssue],
) -> int:
    """Check every row below the header; the parsed ones go in result.rows. Returns how many
    rows were not blank."""
    positions, width = layout.positions, layout.width
    source_label = COLUMN_LABELS["source"]
    entries = 0
    for number, values in rows:
        if _is_blank(values):
            continue
        entries += 1
        length = len(values)
        cells = {key: _unquoted(values[position]) if position < length else None for key, position in positions}
        parsed, issues = row_from_cells(cells, row=number)
        if not layout.has_source:
            issues = [issue for issue in issues if issue.column != source_label]
        row_issues.extend(issues)
        if parsed is not None:
            result.rows.append(parsed)
        if layout.unheaded or length > width:
            _warn_unheaded(values, number, layout.unheaded, layout.reported, width, file_issues)
    return entries


def _warn_unheaded(
    values: Sequence[object], number: int, unheaded: set[int], reported: set[int], width: int, issues: list[ImportIssue]
) -> None:
    for position in [*unheaded, *range(width, len(values))]:
        if position >= len(values) or position in reported:
            continue
        value = values[position]
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        letter = column_letter(position)
        message = f"Column {letter} has no heading, so its values (the first is in row {number}) will not be imported"
        issues.append(ImportIssue(None, None, message, WARNING))
        reported.add(position)
        unheaded.discard(position)


def _point_at_real_header(rows: Iterator[Row], file_issues: list[ImportIssue]) -> None:
    """When the first row lacks Date or Details, say if a later row looks like the header (a title row above it)."""
    for count, (number, values) in enumerate(rows):
        if count >= _HEADER_SEARCH_ROWS:
            return
        if not _is_blank(values) and not match_header([cell_text(value) for value in values]).missing:
            message = f"Row {number} looks like the header row: delete the rows above it so the header is the first row"
            file_issues.append(ImportIssue(None, None, message, ERROR))
            return
