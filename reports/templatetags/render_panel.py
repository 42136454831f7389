"""``{% render_panel %}``: the document page's "Render" panel (templates/reports/snippets/renders.html)."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from reports.models import Document, DocumentRender
from reports.render import render_is_current
from reviews.permissions import ReviewAccess

register = template.Library()

# The latest renders shown; older ones stay in the audit trail.
SHOWN = 8


def render_panel_context(request: HttpRequest, access: ReviewAccess, document: Document) -> dict:
    rows = DocumentRender.objects.filter(document=document).defer("data").select_related("requested_by")
    if not access.can_manage:
        rows = rows.filter(publication=False)
    renders = list(rows[:SHOWN])
    current: dict[bool, dict[str, str]] = {}  # the document's fingerprints now, by version and format
    for row in renders:
        row.document = document
        row.superseded = row.status == DocumentRender.Status.READY and not render_is_current(row, current)
    return {
        "request": request,
        "review": access.review,
        "document": document,
        "access": access,
        "renders": renders,
        "formats": DocumentRender.Format.choices,
    }


@register.inclusion_tag("reports/snippets/renders.html", takes_context=True)
def render_panel(context: template.Context) -> dict:
    return render_panel_context(context["request"], context["access"], context["document"])
