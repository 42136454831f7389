"""The chair's choices for an overview report's appendices: which columns of the integrated
chronology Appendix A prints (Document.chronology_columns; reports.render_appendix)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from reports.document_services import document_check_editable
from reports.models import Document
from reports.render_appendix import CHRONOLOGY_COLUMNS, ColumnChoiceError, check_chronology_columns
from reviews.archived import review_ensure_open
from reviews.audit import audit_record


@transaction.atomic
def document_chronology_columns_set(*, document: Document, columns: list[str], actor: User) -> Document:
    """Save the columns (keys of CHRONOLOGY_COLUMNS), kept in the export's order; refused, naming
    the column, for one the integrated chronology does not have, and for none at all."""
    review_ensure_open(document.review_id)
    document_check_editable(document)
    if document.kind != Document.Kind.OVERVIEW:
        raise ValidationError("Only the overview report has the integrated chronology as an appendix.")
    try:
        chosen = check_chronology_columns(columns)
    except ColumnChoiceError as error:
        raise ValidationError(str(error)) from error
    if not chosen:
        raise ValidationError("Appendix chronology columns: choose at least one column to print.")
    ordered = [column.key for column in CHRONOLOGY_COLUMNS if column.key in chosen]
    old = list(document.chronology_columns or [])
    if ordered != old:
        document.chronology_columns = ordered
        document.save(update_fields=["chronology_columns"])
        audit_record(
            actor=actor,
            action="document.chronology_columns_changed",
            obj=document,
            review=document.review,
            detail={"from": old, "to": ordered},
        )
    return document
