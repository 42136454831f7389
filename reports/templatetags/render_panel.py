"""``{% render_panel %}``: the document page's "Render" panel (templates/reports/snippets/renders.html)."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from reports.models import Document, DocumentRender
from reports.selectors import renders_shown
from reviews.permissions import ReviewAccess

register = template.Library()

# The latest renders shown; older ones stay in the audit trail.
SHOWN = 8


def render_panel_context(request: HttpRequest, access: ReviewAccess, document: Document) -> dict:
    renders = renders_shown(document, with_publication=access.can_manage, limit=SHOWN)
    return {
        "request": request,
        "review": access.review,
        "document": document,
        "access": access,
        "renders": renders,
        "formats": DocumentRender.formats_for(document.kind),
    }


@register.inclusion_tag("reports/snippets/renders.html", takes_context=True)
def render_panel(context: template.Context) -> dict:
    return render_panel_context(context["request"], context["access"], context["document"])
