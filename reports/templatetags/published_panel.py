"""``{% published_panel %}``: the document page's "Publication files" (what publishing will
freeze, for the chair to make first) and "Published" (each publication kept, with its files)
(templates/reports/snippets/published.html)."""

from __future__ import annotations

from django import template

from reports.models import Document
from reports.published_selectors import publication_files, publications_for_document
from reports.selectors import renders_superseded

register = template.Library()


@register.inclusion_tag("reports/snippets/published.html", takes_context=True)
def published_panel(context: template.Context) -> dict:
    access, document = context["access"], context["document"]
    files = []
    if access.can_manage and document.status == Document.Status.APPROVED:
        files = publication_files(document)
        renders_superseded([file.row for file in files if file.row is not None])
    return {
        "request": context["request"],
        "access": access,
        "review": access.review,
        "document": document,
        "files": files,
        "missing": [file for file in files if not file.ready],
        "publications": publications_for_document(document) if access.can_read_audit else [],
    }
