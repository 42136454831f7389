"""Making the files a document is published with, before publishing it: each publication file
not yet ready for the document as it will read once published is asked for through the one job
mechanism (reports.render_service), as any render is."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from reports import render_service
from reports.models import Document, DocumentRender
from reports.published_selectors import publication_files


@transaction.atomic
def publication_files_request(*, document: Document, actor: User) -> list[DocumentRender]:
    """The renders asked for (or already under way), one per format not ready; none when every
    file is ready. Made once the document is approved; a render refused (a merge note, an empty
    section) refuses them all."""
    if document.status != Document.Status.APPROVED:
        raise ValidationError(
            f"The publication files are made once the {document.get_kind_display().lower()} is approved: it is "
            f"{document.get_status_display().lower()}."
        )
    return [
        render_service.render_request(
            actor=actor, document=document, fmt=file.format, publication=True, as_published=True
        )
        for file in publication_files(document)
        if not file.ready
    ]
