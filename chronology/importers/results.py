"""What an import produces: parsed rows, the issues found, and the refusal of a whole file."""

import datetime as dt
import json
import zlib
from dataclasses import dataclass, field, fields

ERROR = "error"
WARNING = "warning"


class FileRefused(Exception):
    """The upload is not something we can read at all (wrong type, empty, too big, damaged).

    str(exc) is the reason shown to the author, written for them."""


@dataclass(frozen=True, slots=True)
class ImportIssue:
    row: int | None  # row number as Excel shows it (header row counted); None for file-level issues
    column: str | None  # a COLUMN_LABELS label, or the file's own header text for unknown columns
    message: str
    level: str = ERROR

    def __str__(self) -> str:
        if self.row is None:
            # File-level messages name their column themselves.
            return self.message
        if self.column is None:
            return f"row {self.row}: {self.message}"
        return f"row {self.row}, {self.column}: {self.message}"


@dataclass(frozen=True, slots=True)
class ParsedRow:
    row: int
    date_start: dt.date
    date_end: dt.date
    precision: str
    date_display: str
    time: dt.time | None
    people: list[str]
    source: str
    practitioner: str
    event: str
    details: str
    outcome: str
    comment: str
    significant: bool


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None

    @property
    def errors(self) -> list[ImportIssue]:
        return [issue for issue in self.issues if issue.level == ERROR]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [issue for issue in self.issues if issue.level == WARNING]

    @property
    def ok(self) -> bool:
        return not any(issue.level == ERROR for issue in self.issues)


# A stored parse: JSON with each row a list in ParsedRow's field order (no repeated keys), compressed.
_ROW_FIELDS = tuple(row_field.name for row_field in fields(ParsedRow))
_DATES = ("date_start", "date_end")


def result_dumps(result: ParseResult) -> bytes:
    """A parse as compact, compressed JSON: what an upload keeps between its check and its import."""
    rows = []
    for parsed in result.rows:
        values = [getattr(parsed, name) for name in _ROW_FIELDS]
        rows.append([value.isoformat() if isinstance(value, dt.date | dt.time) else value for value in values])
    payload = {
        "sheet": result.sheet,
        "encoding": result.encoding,
        "columns": result.columns,
        "issues": [[issue.row, issue.column, issue.message, issue.level] for issue in result.issues],
        "fields": _ROW_FIELDS,
        "rows": rows,
    }
    return zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def result_loads(data: bytes) -> ParseResult:
    """The ParseResult result_dumps stored, exactly."""
    payload = json.loads(zlib.decompress(data))
    names = payload["fields"]
    rows = []
    for values in payload["rows"]:
        row = dict(zip(names, values, strict=True))
        for name in _DATES:
            row[name] = dt.date.fromisoformat(row[name])
        if row["time"] is not None:
            row["time"] = dt.time.fromisoformat(row["time"])
        rows.append(ParsedRow(**row))
    return ParseResult(
        rows=rows,
        issues=[ImportIssue(*issue) for issue in payload["issues"]],
        sheet=payload["sheet"],
        columns=payload["columns"],
        encoding=payload["encoding"],
    )
