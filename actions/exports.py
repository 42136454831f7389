"""Action plans out, in the Home Office action plan columns (recommendation, scope, action,
lead agency, key milestones, target date, date of completion and outcome) plus status and
RAG, as XLSX and PDF. Pure renderers: a ``PlanExport`` in, bytes out; loading the actions,
checking access and auditing are the caller's job (actions/plan_export.py for a review's plan).

A review's plan has a publication version: ``plan_rows`` given a publication run sends every
text (recommendation, action, milestones, outcome, lead agency) through it, so names become
designations and anything identifying left is a finding naming the recommendation, action and
field. The action's owner (a member of staff) is never printed, in either version: the lead
agency answers for the action. The panel version, with the text as typed, says "Contains
personal data" on every page beside the protective marking.

Every text cell goes through ``spreadsheet_safe``: nothing in an export runs as a formula."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from actions.models import Action, Milestone, Recommendation
from casereview.pdf import html_to_pdf
from casereview.spreadsheets import xlsx_text
from reviews.labels import PERSONAL_DATA, markings, protective_marking
from reviews.publication import Publication, Where

# (heading, XLSX width in characters)
COLUMNS: tuple[tuple[str, int], ...] = (
    ("Recommendation", 50),
    ("Scope", 10),
    ("Action", 50),
    ("Lead agency", 24),
    ("Key milestones", 40),
    ("Target date", 12),
    ("Date of completion and outcome", 40),
    ("Status", 12),
    ("RAG", 8),
)
REVIEW_COLUMN = ("Review", 16)


@dataclass(frozen=True)
class PlanRow:
    review: str
    recommendation: str
    scope: str
    action: str
    lead_agency: str
    milestones: str
    target_date: datetime.date | None
    completion: str
    status: str
    rag: str


@dataclass(frozen=True)
class PlanExport:
    title: str
    partnership: str
    generated: datetime.date
    rows: list[PlanRow]
    # A board-wide plan has a column naming each action's review.
    across_reviews: bool = False
    # Text as typed (the panel's and the board's plans): marked "Contains personal data".
    personal_data: bool = True

    @property
    def markings(self) -> str:
        """What every page and sheet carries beside the title."""
        return markings(published=False, personal_data=self.personal_data)

    @property
    def marking(self) -> str:
        return protective_marking(published=False, personal_data=self.personal_data)


class _Texts:
    """Each text of the plan as it is printed: as typed, or through a publication run with the
    place it comes from ("recommendation 2, action 1 (Northshire Police), milestone 3")."""

    def __init__(self, run: Publication | None):
        self.run = run

    def __call__(self, text: str, label: str, scope: str) -> str:
        if self.run is None:
            return text
        return self.run.text(text, Where(label, scope, group="Action plan"))


def plan_rows(
    recommendations: Iterable[Recommendation], *, today: datetime.date, run: Publication | None = None
) -> list[PlanRow]:
    """One row per action, and one for each recommendation without actions yet
    (``recommendations`` from ``selectors.plan_for_export``). With ``run`` (a publication
    version) every text goes through it."""
    published = _Texts(run)
    rows = []
    for recommendation in recommendations:
        number = recommendation.number
        # The scope an overview report's recommendations table uses too: one decision holds for both.
        text = published(
            recommendation.text, f"recommendation {number}, text", f"recommendation:{recommendation.pk}:text"
        )
        common = {
            "review": recommendation.review.reference,
            "recommendation": f"{number}. {text}",
            "scope": recommendation.get_scope_display(),
        }
        actions = list(recommendation.actions.all())
        if not actions:
            rows.append(
                PlanRow(
                    **common,
                    action="No action agreed yet",
                    lead_agency="",
                    milestones="",
                    target_date=None,
                    completion="",
                    status="",
                    rag="",
                )
            )
        for index, action in enumerate(actions, start=1):
            place = f"recommendation {number}, action {index} ({action.lead_agency.name})"
            completion = ""
            if action.completed_on:
                outcome = published(action.outcome, f"{place}, outcome", f"action:{action.pk}:outcome")
                completion = f"{action.completed_on:%d/%m/%Y}: {outcome}".strip()
            milestones = [
                _milestone_text(m, published(m.text, f"{place}, milestone {n}", f"milestone:{m.pk}:text"))
                for n, m in enumerate(action.milestones.all(), start=1)
            ]
            agency = action.lead_agency
            rows.append(
                PlanRow(
                    **common,
                    action=published(action.text, f"{place}, text", f"action:{action.pk}:text"),
                    lead_agency=published(agency.name, f"{place}, lead agency", f"agency:{agency.pk}:name"),
                    milestones="\n".join(milestones),
                    target_date=action.target_date,
                    completion=completion,
                    status=Action.Status(action.effective_status(today)).label,
                    rag=Action.Rag(action.rag(today)).label,
                )
            )
    return rows


def _milestone_text(milestone: Milestone, text: str) -> str:
    if milestone.due_date:
        text += f" (by {milestone.due_date:%d/%m/%Y})"
    if milestone.done_on:
        text += f": done {milestone.done_on:%d/%m/%Y}"
    return text


def row_values(row: PlanRow, across_reviews: bool) -> list:
    """A plan row's cells in the export's columns' order (the report's action plan appendix prints these too)."""
    values = [
        row.recommendation,
        row.scope,
        row.action,
        row.lead_agency,
        row.milestones,
        row.target_date,
        row.completion,
        row.status,
        row.rag,
    ]
    return ([row.review] if across_reviews else []) + values


_FILLS = {
    "Red": PatternFill("solid", fgColor="F4C7C3"),
    "Amber": PatternFill("solid", fgColor="FCE8B2"),
    "Green": PatternFill("solid", fgColor="B7E1CD"),
    "Blue": PatternFill("solid", fgColor="C9DAF8"),
}


def plan_xlsx(plan: PlanExport) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    sheet.title = "Action plan"
    workbook.properties.title = plan.title
    workbook.properties.subject = plan.marking
    workbook.properties.creator = "casereview"
    if plan.personal_data:
        workbook.properties.keywords = PERSONAL_DATA
    columns = ([REVIEW_COLUMN] if plan.across_reviews else []) + list(COLUMNS)
    for index, (_name, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([name for name, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    wrapped = Alignment(wrap_text=True, vertical="top")
    fill_column = len(columns)
    for row_number, row in enumerate(plan.rows, start=2):
        sheet.append([_cell_text(value) for value in row_values(row, plan.across_reviews)])
        # Cells addressed by number: `sheet.max_row` scans the whole sheet each time.
        for column in range(1, fill_column + 1):
            cell = sheet.cell(row=row_number, column=column)
            cell.alignment = wrapped
            if isinstance(cell.value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
        sheet.cell(row=row_number, column=fill_column).fill = _FILLS.get(row.rag, PatternFill())
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(plan.rows) + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.print_title_rows = "1:1"
    header, footer = sheet.oddHeader, sheet.oddFooter
    assert header is not None and footer is not None  # openpyxl makes both with the sheet
    header.left.text = plan.title.replace("&", "&&")
    header.right.text = plan.marking
    if plan.personal_data:
        header.center.text = PERSONAL_DATA
    footer.right.text = "Page &P of &N"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_text(value):
    if isinstance(value, str):
        return xlsx_text(value)
    return value


def plan_html(plan: PlanExport) -> str:
    specs = ([REVIEW_COLUMN] if plan.across_reviews else []) + list(COLUMNS)
    total = sum(width for _name, width in specs)
    # (heading, share of the page width in per cent), from the spreadsheet's column widths.
    columns = [(name, round(100 * width / total, 1)) for name, width in specs]
    return render_to_string(
        "actions/pdf/action_plan.html",
        {
            "plan": plan,
            "marking": plan.marking,
            "personal_data": PERSONAL_DATA if plan.personal_data else "",
            "columns": columns,
            "rows": _spanned(plan),
        },
    )


def _spanned(plan: PlanExport) -> list[list[tuple[object, int]]]:
    """Each row's cells as (value, rowspan) for the PDF: the review, recommendation and scope
    cells span the rows of the recommendation's actions (rowspan 0: covered by the cell above)."""
    spanned_columns = 3 if plan.across_reviews else 2
    result: list[list[tuple[object, int]]] = []
    first_index = 0
    for index, row in enumerate(plan.rows):
        values = row_values(row, plan.across_reviews)
        same = index > 0 and (plan.rows[index - 1].review, plan.rows[index - 1].recommendation) == (
            row.review,
            row.recommendation,
        )
        if same:
            cells = [(value, 0) for value in values[:spanned_columns]]
            for column in range(spanned_columns):
                value, span = result[first_index][column]
                result[first_index][column] = (value, span + 1)
        else:
            first_index = index
            cells = [(value, 1) for value in values[:spanned_columns]]
        result.append(cells + [(value, 1) for value in values[spanned_columns:]])
    return result


def plan_pdf(plan: PlanExport) -> bytes:
    return html_to_pdf(plan_html(plan)).data


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def plan_render(plan: PlanExport, fmt: str) -> tuple[bytes, str]:
    """The file's bytes and content type."""
    if fmt == "xlsx":
        return plan_xlsx(plan), CONTENT_TYPES[fmt]
    if fmt == "pdf":
        return plan_pdf(plan), CONTENT_TYPES[fmt]
    raise ValueError(f'"{fmt}" is not an action plan format (xlsx or pdf)')
