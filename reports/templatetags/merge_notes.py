"""``{% merge_notes_warning document %}`` and ``{% merge_notes_warning document section %}``: the
warning that sections still hold both versions of paragraphs two people changed at once (the note
a conflict merge leaves, reports.diff.CONFLICT_NOTE), on the document page and the section page.
Until each is resolved the document is not approved or published, nor its publication version
rendered (reports.document_services.merge_notes_refusal)."""

from __future__ import annotations

from django import template

from reports.diff import conflict_markers
from reports.document_services import MergeNotes, sections_with_merge_notes
from reports.models import Document, Section

register = template.Library()


@register.inclusion_tag("reports/snippets/merge_notes.html")
def merge_notes_warning(document: Document, section: Section | None = None) -> dict:
    if section is None:
        noted = sections_with_merge_notes(document)
    else:
        count = conflict_markers(section.body)
        noted = [MergeNotes(section.pk, section.title, count)] if count else []
    return {"document": document, "noted": noted, "section": section, "review_pk": document.review_id}
