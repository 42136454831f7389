"""``{% chronology_columns_panel %}``: the overview report page's choice of the chronology
appendix's columns (templates/reports/snippets/chronology_columns.html)."""

from __future__ import annotations

from django import template

from reports.models import Document
from reports.render_appendix import CHRONOLOGY_COLUMNS, DEFAULT_CHRONOLOGY_COLUMNS, chosen_columns

register = template.Library()


@register.inclusion_tag("reports/snippets/chronology_columns.html", takes_context=True)
def chronology_columns_panel(context: template.Context) -> dict:
    document: Document = context["document"]
    access = context["access"]
    chosen = {column.key for column in chosen_columns(document.chronology_columns)}
    return {
        "review": access.review,
        "document": document,
        "shown": document.kind == Document.Kind.OVERVIEW,
        "can_edit": access.can_manage and not document.is_locked,
        "columns": [(column.key, column.heading, column.key in chosen) for column in CHRONOLOGY_COLUMNS],
        "default": not document.chronology_columns,
        "default_headings": ", ".join(
            column.heading for column in CHRONOLOGY_COLUMNS if column.key in DEFAULT_CHRONOLOGY_COLUMNS
        ),
        "csrf_token": context.get("csrf_token"),
    }
