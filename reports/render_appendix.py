"""An overview report's appendices as the renderers print them: each one a table with its
headings, relative widths and rows of plain text (reports.render.Appendix), so the PDF and the
Word file print the same cells.

- The integrated chronology (panel version only): the columns the chair chose for the document
  (Document.chronology_columns), from the columns the integrated chronology export has
  (chronology.exports.formats.COLUMNS); the timeline picture above the table.
- The action plan: the Home Office columns, as the action-plan export has them
  (actions.exports.COLUMNS and plan_rows: one definition for both), through the publication
  pipeline in a publication version.

A column every row leaves empty is the renderers' to drop (``visible_columns``)."""

from __future__ import annotations

import datetime
import html
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from actions import exports as plan_exports
from actions.selectors import plan_for_export
from chronology.exports import formats as chronology_formats
from chronology.exports.data import ExportChronology, ExportEntry
from reviews.publication import Publication


@dataclass(frozen=True)
class Appendix:
    letter: str  # "A"
    title: str  # "Integrated chronology"
    note: str  # a line under the heading ("" for none)
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative, one a column
    landscape: bool
    row_classes: list[str]  # one a row: "significant out-of-period", "rag-red", ""
    figure_svg: str = ""  # a picture above the table (the timeline), drawn by us, every text escaped
    figure_alt: str = ""  # its alternative text


@dataclass(frozen=True)
class ChronologyColumn:
    key: str
    export_heading: str  # the heading the integrated chronology export gives the column
    width: float  # relative, on a landscape page
    cell: Callable[[ExportEntry], str] = field(compare=False)

    @property
    def heading(self) -> str:
        return PRINTED_HEADINGS.get(self.key, self.export_heading)


def _date_cell(entry: ExportEntry) -> str:
    lines = [entry.date_display + (f" {entry.time:%H:%M}" if entry.time else "")]
    if entry.significant:
        lines.append("Significant")
    if not entry.in_scope:
        lines.append("Outside the review period")
    return "\n".join(lines)


# The columns a chair may choose for the appendix, in the export's order; their headings are the
# export's (chronology.exports.formats.COLUMNS), checked when the module loads.
CHRONOLOGY_COLUMNS: tuple[ChronologyColumn, ...] = (
    ChronologyColumn("seq", "Seq", 3.5, lambda e: str(e.seq)),
    ChronologyColumn("date", "Date", 9, _date_cell),
    ChronologyColumn("agency", "Agency", 10, lambda e: e.agency),
    ChronologyColumn("people", "Person(s)", 10, lambda e: "; ".join(e.people)),
    ChronologyColumn("source", "Source", 9, lambda e: e.source),
    ChronologyColumn("practitioner", "Practitioner", 9, lambda e: e.practitioner),
    ChronologyColumn("event", "Event", 9, lambda e: e.event),
    ChronologyColumn("details", "Details", 23, lambda e: e.details),
    ChronologyColumn("outcome", "Action / Outcome", 14, lambda e: e.outcome),
    ChronologyColumn("comment", "Comment", 16, lambda e: e.comment),
)
PRINTED_HEADINGS = {"seq": "#"}
COLUMN_BY_KEY = {column.key: column for column in CHRONOLOGY_COLUMNS}
# The six the appendix always printed, with the people, source and comment: what a landscape page holds.
DEFAULT_CHRONOLOGY_COLUMNS = ("seq", "date", "agency", "people", "source", "event", "details", "outcome", "comment")

_EXPORT_HEADINGS = {name for name, _width in chronology_formats.COLUMNS}
assert all(column.export_heading in _EXPORT_HEADINGS for column in CHRONOLOGY_COLUMNS), "export columns changed"


class ColumnChoiceError(ValueError):
    """A chronology column choice the appendix cannot print, with a message saying which and why."""


def check_chronology_columns(keys: list[str]) -> list[str]:
    """The keys as chosen, or ColumnChoiceError naming the bad one."""
    if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
        raise ColumnChoiceError("The chronology columns must be a list of column names.")
    unknown = [key for key in keys if key not in COLUMN_BY_KEY]
    if unknown:
        known = ", ".join(COLUMN_BY_KEY)
        raise ColumnChoiceError(
            f'Appendix chronology columns: "{unknown[0]}" is not a column of the integrated chronology '
            f"(choose from {known})."
        )
    if len(set(keys)) != len(keys):
        raise ColumnChoiceError("Appendix chronology columns: each column may be chosen once.")
    return keys


def chosen_columns(keys: list[str] | None) -> list[ChronologyColumn]:
    """The document's choice in the export's order; no choice (or nothing valid left): the default."""
    chosen = {key for key in keys or [] if key in COLUMN_BY_KEY}
    if not chosen:
        chosen = set(DEFAULT_CHRONOLOGY_COLUMNS)
    return [column for column in CHRONOLOGY_COLUMNS if column.key in chosen]


def chronology_appendix(letter: str, data: ExportChronology, svg: str, keys: list[str] | None) -> Appendix:
    columns = chosen_columns(keys)
    count, agencies = len(data.entries), len(data.agencies)
    note = (
        f"Version {data.version} of the integrated chronology: {count} entr{'y' if count == 1 else 'ies'} "
        f"from {agencies} agenc{'y' if agencies == 1 else 'ies'}."
    )
    rows, classes = [], []
    for entry in data.entries:
        rows.append([column.cell(entry) for column in columns])
        flags = (("significant", entry.significant), ("out-of-period", not entry.in_scope))
        classes.append(" ".join(name for name, on in flags if on))
    # Plain text (the template escapes it for HTML; the renderers escape what they print).
    alt = ""
    if svg:
        alt = html.unescape(render_to_string("chronology/pdf/timeline_alt.html", {"chronology": data}).strip())
    return Appendix(
        letter=letter,
        title="Integrated chronology",
        note=note,
        headers=[column.heading for column in columns],
        rows=rows,
        widths=[column.width for column in columns],
        landscape=True,
        row_classes=classes,
        figure_svg=svg,
        figure_alt=alt,
    )


# The action-plan export's columns but its RAG (a colour the status already says; kept as the row's class).
_PLAN_COLUMNS = [(name, width) for name, width in plan_exports.COLUMNS if name != "RAG"]
# Relative widths on a landscape page where the spreadsheet's (in characters) would break a heading
# or a status mid-word ("Scop e", "Complet e").
_PLAN_PRINT_WIDTHS = {"Scope": 14, "Target date": 13, "Status": 14}


def action_plan_appendix(letter: str, review, *, today: datetime.date, run: Publication | None) -> Appendix | None:
    """The review's action plan, or None when it has no recommendations yet."""
    plan_rows = plan_exports.plan_rows(plan_for_export([review]), today=today, run=run)
    if not plan_rows:
        return None
    names = [name for name, _width in plan_exports.COLUMNS]
    keep = [names.index(name) for name, _width in _PLAN_COLUMNS]
    rows = []
    for index, row in enumerate(plan_rows):
        values = plan_exports.row_values(row, False)  # the export's own cells, in its columns' order
        cells = [_plan_cell(values[column]) for column in keep]
        if index and plan_rows[index - 1].recommendation == row.recommendation:
            # A further action of the same recommendation: its number, not its whole text again.
            cells[0] = f"{row.recommendation.split('.', 1)[0]} (continued)"
        rows.append(cells)
    return Appendix(
        letter=letter,
        title="Action plan",
        note="",
        headers=[name for name, _width in _PLAN_COLUMNS],
        rows=rows,
        widths=[float(_PLAN_PRINT_WIDTHS.get(name, width)) for name, width in _PLAN_COLUMNS],
        landscape=True,
        row_classes=[f"rag-{row.rag.lower()}" if row.rag else "" for row in plan_rows],
    )


def _plan_cell(value: object) -> str:
    if isinstance(value, datetime.date):
        return f"{value:%-d %b %Y}"
    return "" if value is None else str(value)


def visible_columns(appendix: Appendix) -> list[int]:
    """The columns some row prints something in (every column when there are no rows)."""
    if not appendix.rows:
        return list(range(len(appendix.headers)))
    return [index for index in range(len(appendix.headers)) if any(row[index].strip() for row in appendix.rows)]
