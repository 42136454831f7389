"""One chronology row: raw cell values in, a ParsedRow and its issues out.

The browser's entry form calls row_from_cells too, so typed entries and uploads follow the
same rules and produce the same messages."""

import datetime as dt
import re
from functools import lru_cache

from chronology.dates import DateParseError, ParsedDate, date_from_cell, parse_date
from reviews.publication.characters import normalise

from .columns import COLUMN_LABELS, COLUMNS
from .results import ERROR, WARNING, ImportIssue, ParsedRow

LIMITS: dict[str, int] = {
    "source": 255,
    "practitioner": 255,
    "event": 255,
    "people": 1000,
    "details": 20_000,
    "outcome": 20_000,
    "comment": 20_000,
}

_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?")
_COLUMN_ORDER: dict[str | None, int] = {COLUMN_LABELS[key]: index for index, key in enumerate(COLUMNS)}
_YES = frozenset({"y", "yes", "true", "1", "x"})
_NO = frozenset({"", "n", "no", "false", "0"})


def cell_text(value: object) -> str:
    """A cell as the text the author sees in Excel, stripped, with \\n line endings, normalised as every
    stored text is (reviews.publication.normalise: NFC, no NUL, no invisible format characters
    such as a soft hyphen or a zero-width joiner inside a name)."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = normalise(value).strip()
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text
    if isinstance(value, bool):  # before int: bool is an int
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Excel stores every number as a float; 3 must read "3", not "3.0".
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value).strip()


@lru_cache(maxsize=4096)
def _parse_date(text: str, year: int) -> ParsedDate:
    """parse_date, remembered: a chronology repeats its dates (many entries a day), and the
    year is part of the key because it sets the two-digit-year pivot. A date that cannot be
    read raises every time (errors are not cached)."""
    return parse_date(text, today=dt.date(year, 1, 1))


def _parse_time(value: object) -> dt.time | str:
    """A time of day, or the text that could not be read as one."""
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A time typed as 14.30 into a General-format cell arrives as the number 14.3.
        text = f"{float(value):.2f}"
    else:
        text = cell_text(value)
    match = _TIME.fullmatch(text)
    if match:
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        if hours < 24 and minutes < 60 and seconds < 60:
            return dt.time(hours, minutes, seconds)
    return cell_text(value)


def _parse_significant(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = cell_text(value).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


class _RowIssues:
    """One row's issues, as each step finds them."""

    __slots__ = ("found", "row")

    def __init__(self, row: int) -> None:
        self.row = row
        self.found: list[ImportIssue] = []

    def error(self, key: str, message: str) -> None:
        self.found.append(ImportIssue(self.row, COLUMN_LABELS[key], message, ERROR))

    def warning(self, key: str, message: str) -> None:
        self.found.append(ImportIssue(self.row, COLUMN_LABELS[key], message, WARNING))

    def in_row_order(self) -> list[ImportIssue]:
        """The row's problems left to right, as the author reads the row."""
        self.found.sort(key=lambda issue: _COLUMN_ORDER[issue.column])
        return self.found

    @property
    def has_error(self) -> bool:
        return any(issue.level == ERROR for issue in self.found)


def row_from_cells(cells: dict[str, object], *, row: int) -> tuple[ParsedRow | None, list[ImportIssue]]:
    """Validate one row given canonical column keys -> raw values (missing keys count as blank).

    Values are str, None, or what openpyxl gives for a cell (date, datetime, time, number, bool).
    Every problem in the row is reported; a row with any error gives no ParsedRow."""
    issues = _RowIssues(row)
    text = _texts(cells, issues)
    parsed_date, cell_time = _read_date(cells.get("date"), issues)
    time_value = _read_time(cells.get("time"), cell_time, issues)
    if not text["details"]:
        issues.error("details", "Details are required: what happened")
    significant = _read_significant(cells.get("significant"), issues)
    if not text["source"]:
        issues.warning("source", "Source is blank: name the record this comes from")

    found = issues.in_row_order()
    if parsed_date is None or issues.has_error:
        return None, found
    return _parsed_row(row, text, parsed_date, time_value, bool(significant)), found


def _texts(cells: dict[str, object], issues: _RowIssues) -> dict[str, str]:
    """The text columns as the author sees them, each checked against its length limit."""
    text = {key: cell_text(cells.get(key)) for key in LIMITS}
    for key, limit in LIMITS.items():
        length = len(text[key])
        if length > limit:
            issues.error(key, f"{COLUMN_LABELS[key]} is {length:,} characters long; the limit is {limit:,}")
    return text


def _read_date(raw_date: object, issues: _RowIssues) -> tuple[ParsedDate | None, dt.time | None]:
    """Date: required. A real date cell is a day; anything else is read as the author typed it.
    With it, the time of a date-and-time cell (kept unless the Time column says otherwise)."""
    if not isinstance(raw_date, dt.date):
        date_text = cell_text(raw_date)
        if not date_text:
            issues.error("date", "Date is required: when it happened")
            return None, None
        try:
            return _parse_date(date_text, dt.date.today().year), None
        except DateParseError as exc:
            issues.error("date", str(exc))
            return None, None
    parsed_date = None
    try:
        parsed_date = date_from_cell(raw_date)
    except DateParseError as exc:  # a real date, but outside the years a chronology can cover
        issues.error("date", str(exc))
    cell_time = None
    if isinstance(raw_date, dt.datetime) and raw_date.time() != dt.time(0, 0):
        cell_time = raw_date.time().replace(microsecond=0)
    return parsed_date, cell_time


def _read_time(raw_time: object, cell_time: dt.time | None, issues: _RowIssues) -> dt.time | None:
    """Time: optional, 24-hour; the date cell's own time when the column is blank."""
    if not cell_text(raw_time):
        return cell_time
    parsed_time = _parse_time(raw_time)
    if isinstance(parsed_time, dt.time):
        return parsed_time
    issues.error("time", f'"{parsed_time}" is not a time (use HH:MM, 24-hour)')
    return cell_time


def _read_significant(raw: object, issues: _RowIssues) -> bool | None:
    significant = _parse_significant(raw)
    if significant is None:
        issues.error("significant", f'"{cell_text(raw)}" is not Y or N (leave it blank for N)')
    return significant


def _parsed_row(
    row: int, text: dict[str, str], parsed_date: ParsedDate, time_value: dt.time | None, significant: bool
) -> ParsedRow:
    return ParsedRow(
        row=row,
        date_start=parsed_date.start,
        date_end=parsed_date.end,
        precision=str(parsed_date.precision),
        date_display=parsed_date.display,
        time=time_value,
        people=[person.strip() for person in text["people"].split(";") if person.strip()],
        source=text["source"],
        practitioner=text["practitioner"],
        event=text["event"],
        details=text["details"],
        outcome=text["outcome"],
        comment=text["comment"],
        significant=significant,
    )
