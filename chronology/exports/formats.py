"""The integrated chronology out: JSON, CSV, XLSX, print HTML and PDF.

Pure renderers: an `ExportChronology` in (names already replaced by designations when the
export leaves the panel), bytes or text out. Loading the data, checking who may export,
auditing and storing the file are the caller's job.

Spreadsheets never execute (PRODUCT.md section 5): every text cell goes through
`spreadsheet_safe`, which defuses anything Excel or LibreOffice would read as a formula.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as _json_string  # the C quoting json.dumps uses
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from casereview.pdf import PDF_BASE_URL, html_to_pdf
from casereview.spreadsheets import FORMULA_TRIGGERS, spreadsheet_safe
from chronology.exports import xlsx
from chronology.exports.data import ExportChronology, ExportEntry, ExportGap, ExportLink
from chronology.integrated.timeline_print import print_timeline

# The spreadsheet columns, with their XLSX widths (in characters).
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Seq", 6),
    ("Date", 16),
    ("Date from", 11),
    ("Date to", 11),
    ("Precision", 11),
    ("Time", 7),
    ("Agency", 22),
    ("Person(s)", 22),
    ("Source", 24),
    ("Practitioner", 20),
    ("Event", 22),
    ("Details", 60),
    ("Action / Outcome", 40),
    ("Comment", 40),
    ("Significant", 12),
    ("In review period", 12),
    ("Key episode", 24),
    ("Links", 30),
)
DATE_FROM_COLUMN, DATE_TO_COLUMN = 3, 4  # 1-based, as in a spreadsheet

LINK_LABELS = {"possible_duplicate": "possible duplicate of", "date_conflict": "date conflict with"}

CHRONOLOGY_SHEET = "Integrated chronology"
GAPS_SHEET = "Gaps"
# What a cell cut short at the XLSX cell limit (casereview.spreadsheets) ends with.
XLSX_TRUNCATED = " [truncated: see the PDF or JSON export for the full text]"


# --- JSON (PRODUCT.md section 6) ------------------------------------------------------------


def chronology_json(chronology: ExportChronology) -> bytes:
    """The documented JSON shape, keys in the documented order; `episode` per entry and
    `episodes` at the top level come after the documented keys. Indented, with one entry to a
    line: each entry is encoded by the standard library's C encoder (an indented encoding is
    pure Python, several times slower on 100,000 entries)."""
    head = {
        "review": {
            "reference": chronology.reference,
            "type": chronology.review_type,
            "scope_start": chronology.scope_start.isoformat(),
            "scope_end": chronology.scope_end.isoformat(),
        },
        "built_at": _utc_timestamp(chronology.built_at),
        "entries": _ENTRIES_MARK,
    }
    tail: dict[str, Any] = {
        "gaps": [
            {"start": gap.start.isoformat(), "end": gap.end.isoformat(), "days": gap.days} for gap in chronology.gaps
        ],
        "episodes": [
            {"title": episode.title, "start": episode.start.isoformat(), "end": episode.end.isoformat()}
            for episode in chronology.episodes
        ],
    }
    if chronology.names == "real":
        # After the documented keys, as every addition is: the panel's file says what it holds.
        tail["marking"] = f"{chronology.marking}, {chronology.personal_data}"
    # "entries" is the head's last key, so its mark is the last one in the head's text.
    before, after = json.dumps(head, ensure_ascii=False, indent=2).rsplit(json.dumps(_ENTRIES_MARK), 1)
    rest = json.dumps(tail, ensure_ascii=False, indent=2)
    after = f"{after.removesuffix(chr(10) + '}')},\n{rest.removeprefix('{' + chr(10))}"
    dates: dict[datetime.date, str] = {}
    lines = [_entry_json(entry, dates) for entry in chronology.entries]
    if not lines:
        return f"{before}[]{after}".encode()
    # The text around the entries joined with them: tens of megabytes are not copied again.
    lines[0] = f"{before}[\n{lines[0]}"
    lines[-1] = f"{lines[-1]}\n  ]{after}"
    return ",\n".join(lines).encode("utf-8")


_ENTRIES_MARK = "\x00entries\x00"


def _entry_json(entry: ExportEntry, dates: dict[datetime.date, str]) -> str:
    """One entry as JSON on one indented line, keys in the documented order, as the standard
    library writes it (``json.dumps(..., ensure_ascii=False, separators=(", ", ": "))``): each
    string quoted by its own C quoting, ``dates`` keeping each date's text once made. Written out
    rather than built as a dictionary and encoded: half the time, on 100,000 entries."""
    e, text = entry, _json_string
    start = dates.get(e.date_start) or dates.setdefault(e.date_start, f'"{e.date_start.isoformat()}"')
    end = dates.get(e.date_end) or dates.setdefault(e.date_end, f'"{e.date_end.isoformat()}"')
    time = "null" if e.time is None else text(_hh_mm(e.time) or "")
    episode = "null" if e.episode is None else text(e.episode)
    return (
        f'    {{"seq": {e.seq}, "date_start": {start}, "date_end": {end}, "precision": {text(e.precision)}, '
        f'"date_display": {text(e.date_display)}, "time": {time}, "agency": {text(e.agency)}, '
        f'"people": [{", ".join(map(text, e.people))}], "source": {text(e.source)}, '
        f'"practitioner": {text(e.practitioner)}, "event": {text(e.event)}, "details": {text(e.details)}, '
        f'"outcome": {text(e.outcome)}, "comment": {text(e.comment)}, "significant": {_JSON_BOOL[e.significant]}, '
        f'"in_scope": {_JSON_BOOL[e.in_scope]}, "links": [{", ".join(map(_link_json, e.links))}], '
        f'"episode": {episode}}}'
    )


_JSON_BOOL = {True: "true", False: "false"}


def _link_json(link: ExportLink) -> str:
    return f'{{"kind": {_json_string(link.kind)}, "seq": {link.seq}, "status": {_json_string(link.status)}}}'


def _utc_timestamp(moment: datetime.datetime) -> str:
    # The data class promises an aware datetime; a naive one is taken to be UTC already
    # (astimezone would otherwise read it as the server's local time).
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hh_mm(time: datetime.time | None) -> str | None:
    return time.strftime("%H:%M") if time is not None else None


# --- CSV and XLSX ---------------------------------------------------------------------------


# What a spreadsheet cell of an export holds.
CellValue = str | int | datetime.date | None


def _spreadsheet_row(entry: ExportEntry) -> list[CellValue]:
    """One entry in the spreadsheet columns, dates as dates; text not yet made safe."""
    return [
        entry.seq,
        entry.date_display,
        entry.date_start,
        entry.date_end,
        entry.precision,
        _hh_mm(entry.time) or "",
        entry.agency,
        "; ".join(entry.people),
        entry.source,
        entry.practitioner,
        entry.event,
        entry.details,
        entry.outcome,
        entry.comment,
        _yes_no(entry.significant),
        _yes_no(entry.in_scope),
        entry.episode or "",
        _links_text(entry),
    ]


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _links_text(entry: ExportEntry) -> str:
    """ "possible duplicate of 7 (suggested); date conflict with 12 (confirmed)" """
    return "; ".join(f"{LINK_LABELS.get(link.kind, link.kind)} {link.seq} ({link.status})" for link in entry.links)


def chronology_csv(chronology: ExportChronology) -> bytes:
    """UTF-8 with a byte order mark (so Excel reads it as UTF-8), a header row, one row per entry.
    Dates are ISO (Excel recognises them whatever the locale).

    Written line by line as the standard library's csv writer writes its "excel" dialect (a
    field holding a comma, a quote or a line break quoted, its quotes doubled; each row ended by
    CRLF), each text that repeats (an agency, an event, a date as written) made safe and quoted
    once: half the time of the csv writer on 100,000 entries."""
    cells: dict[str, str] = {}
    dates: dict[datetime.date, str] = {}
    lines = [",".join(_csv_field(name) for name, _width in COLUMNS)]
    lines += [_csv_line(entry, cells, dates) for entry in chronology.entries]
    lines.append("")
    return "\r\n".join(lines).encode("utf-8-sig")


def _csv_line(entry: ExportEntry, cells: dict[str, str], dates: dict[datetime.date, str]) -> str:
    """One entry as ``_spreadsheet_row`` gives it, dates as ISO text and every text made safe
    (``_safe``), as a line of CSV. ``cells`` and ``dates`` keep each repeated text as written."""
    e = entry
    start = dates.get(e.date_start) or dates.setdefault(e.date_start, e.date_start.isoformat())
    end = dates.get(e.date_end) or dates.setdefault(e.date_end, e.date_end.isoformat())
    links = _csv_field(_safe(_links_text(e))) if e.links else ""
    return (
        f"{e.seq},{_csv_cell(e.date_display, cells)},{start},{end},{_csv_cell(e.precision, cells)},"
        f"{_hh_mm(e.time) or ''},{_csv_cell(e.agency, cells)},{_csv_cell('; '.join(e.people), cells)},"
        f"{_csv_cell(e.source, cells)},{_csv_cell(e.practitioner, cells)},{_csv_cell(e.event, cells)},"
        f"{_csv_field(_safe(e.details))},{_csv_cell(e.outcome, cells)},{_csv_cell(e.comment, cells)},"
        f"{_yes_no(e.significant)},{_yes_no(e.in_scope)},{_csv_cell(e.episode or '', cells)},{links}"
    )


def _csv_cell(text: str, cells: dict[str, str]) -> str:
    """A text made safe and written as a CSV field, once for each text."""
    field = cells.get(text)
    if field is None:
        field = cells[text] = _csv_field(_safe(text))
    return field


def _csv_field(text: str) -> str:
    """A text as the csv writer's "excel" dialect writes it: quoted, its quotes doubled, when it
    holds a comma, a quote or a line break; as it is otherwise."""
    if '"' in text or "," in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def _safe(text: str) -> str:
    return str(spreadsheet_safe(text)) if text.startswith(FORMULA_TRIGGERS) else text


def chronology_xlsx(chronology: ExportChronology) -> bytes:
    """A workbook with the chronology on a first sheet and the gaps on a second, its rows
    streamed (chronology.exports.xlsx): a chronology can run to 100,000 entries."""
    return xlsx.chronology_workbook(
        chronology,
        columns=COLUMNS,
        rows=map(_spreadsheet_row, chronology.entries),
        count=len(chronology.entries),
        gap_rows=[[gap.start, gap.end, gap.days, gap_text(gap)] for gap in chronology.gaps],
        truncated=XLSX_TRUNCATED,
        sheet_names=(CHRONOLOGY_SHEET, GAPS_SHEET),
    )


# --- Print HTML and PDF ---------------------------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """A row of the printed table: an entry, a key episode heading or a gap in agency contact."""

    kind: str  # "entry", "episode" or "gap"
    entry: ExportEntry | None = None
    text: str = ""
    long: bool = False  # an entry tall enough that it may break across pages


# An entry taller than about a quarter of a page may break across pages; shorter ones are kept
# whole. Keeping every row whole leaves much of a page blank before each long entry (and
# WeasyPrint drops the repeated column headings above a row that cannot fit under them);
# letting every row break splits two-line entries at the foot of most pages.
LONG_ENTRY_LINES = 12
# Roughly how many characters fit on a printed line of each column (8pt Liberation Sans
# at the column widths in print-chronology.css), rounded down: only used to guess row heights.
CHARACTERS_PER_LINE = {"who": 24, "what": 80, "outcome": 44}


def is_long_entry(entry: ExportEntry) -> bool:
    cells = {
        "who": f"{entry.agency}\n{'; '.join(entry.people)}",
        "what": f"{entry.event}. {entry.details}\n{entry.source}; {entry.practitioner}",
        "outcome": f"{entry.outcome}\n{entry.comment}" if entry.comment else entry.outcome,
    }
    return any(_printed_lines(text, CHARACTERS_PER_LINE[column]) > LONG_ENTRY_LINES for column, text in cells.items())


def _printed_lines(text: str, per_line: int) -> int:
    return sum(max(1, -(-len(paragraph) // per_line)) for paragraph in text.split("\n"))


def uk_date(day: datetime.date) -> str:
    """1 December 2008"""
    return f"{day.day} {day:%B %Y}"


def gap_text(gap: ExportGap) -> str:
    days = "1 day" if gap.days == 1 else f"{gap.days} days"
    return f"No agency contact for {days} ({uk_date(gap.start)} to {uk_date(gap.end)})"


def table_rows(chronology: ExportChronology) -> Iterator[TableRow]:
    """The entries in order, with a heading row where they enter a key episode, and each gap
    placed before the first entry that starts on or after the gap's first day."""
    episodes = {episode.title: episode for episode in chronology.episodes}
    gaps = sorted(chronology.gaps, key=lambda gap: gap.start)
    next_gap = 0
    previous_episode: str | None = None
    for entry in chronology.entries:
        while next_gap < len(gaps) and gaps[next_gap].start <= entry.date_start:
            yield TableRow("gap", text=gap_text(gaps[next_gap]))
            next_gap += 1
        if entry.episode and entry.episode != previous_episode:
            episode = episodes.get(entry.episode)
            dates = f" ({uk_date(episode.start)} to {uk_date(episode.end)})" if episode else ""
            yield TableRow("episode", text=f"{entry.episode}{dates}")
        previous_episode = entry.episode
        yield TableRow("entry", entry=entry, long=is_long_entry(entry))
    for gap in gaps[next_gap:]:
        yield TableRow("gap", text=gap_text(gap))


def chronology_html(chronology: ExportChronology, *, timeline_svg: str = "") -> str:
    """The print HTML that `chronology_pdf` renders.

    `timeline_svg` is inserted as markup, unescaped: it must come from casereview's own
    timeline renderer (which escapes the text it draws), never from user input."""
    context = {
        "chronology": chronology,
        "rows": table_rows(chronology),
        "timeline_svg": mark_safe(print_timeline(timeline_svg)),  # trusted: see the docstring
        "names_label": "real names" if chronology.names == "real" else "designations",
        "scope": f"{uk_date(chronology.scope_start)} to {uk_date(chronology.scope_end)}",
    }
    return render_to_string("chronology/pdf/integrated.html", context)


def chronology_pdf(chronology: ExportChronology, *, timeline_svg: str = "") -> bytes:
    """A4 landscape PDF of the integrated chronology."""
    return html_to_pdf(chronology_html(chronology, timeline_svg=timeline_svg), base_url=PDF_BASE_URL).data
