"""Rendered documents as rows: asked for on the document page or the command line, made by a
Celery task, offered for download through an access-checked view.

A render is keyed on the document's fingerprint (reports.render.document_fingerprint): asking
again for an unchanged document gives the row already made (or being made). The file is written
by the same UPDATE that marks the row ready, so a worker that dies mid-render leaves a running
row with no file; the redelivered task takes it up again (reports.tasks)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from casereview import jobs
from casereview.pdf import html_to_pdf
from casereview.storage import file_store
from reports import published_selectors, render, render_briefing, render_html
from reports.document_services import empty_sections_refusal, merge_notes_refusal
from reports.docx_render import document_docx
from reports.models import Document, DocumentRender
from reviews.audit import audit_record
from reviews.publication import PublicationBlocked, publication_for_review

logger = logging.getLogger(__name__)


@transaction.atomic
def render_request(
    *, actor: User | None, document: Document, fmt: str, publication: bool, as_published: bool = False
) -> DocumentRender:
    """The render of the document as it stands: the one already made or under way for this
    revision, or a new job queued for a worker (casereview.jobs). ``as_published``: a
    publication version as the document will read once published, made before publishing it
    (reports.publication_files)."""
    if fmt not in DocumentRender.Format.values:
        raise ValidationError({"format": f'"{fmt}" is not a format: use pdf, docx, html or (a briefing) slides.'})
    if fmt == DocumentRender.Format.SLIDES and document.kind != Document.Kind.LEARNING_BRIEFING:
        raise ValidationError({"format": "Slides are made of a learning briefing only."})
    if fmt == DocumentRender.Format.HTML and not publication:
        # Web pages are for a partnership's website: only ever the publication version.
        raise ValidationError({"format": "Web pages (HTML) are made of the publication version only."})
    if publication:
        merge_notes_refusal(document, "rendered as a publication version")
        empty_sections_refusal(document, "rendered as a publication version")
    target = published_selectors.as_published(document) if as_published else document
    fingerprint, revision = render.document_fingerprint(target, fmt=fmt, publication=publication)
    same = {"document": document, "fingerprint": fingerprint, "format": fmt, "publication": publication}
    version = "publication" if publication else "panel"
    detail = {"format": fmt, "version": version, "fingerprint": fingerprint[:16]}
    row = DocumentRender.objects.filter(**same, status=DocumentRender.Status.READY).order_by("-pk").first()
    new = False
    if row is None:
        row, new = jobs.job_request(
            DocumentRender, actor=actor, same=same, revision=revision, as_published=as_published and publication
        )
    audit_record(
        actor=actor,
        action="document.render_requested" if new else "document.render_reused",
        obj=row,
        review=document.review,
        object_repr=f"{document} as {fmt.upper()} ({version} version)",
        detail=detail,
    )
    return row


def render_produce(row: DocumentRender) -> tuple[bytes, int | None]:
    """The file for a claimed row, or PublicationBlocked naming where each finding is. A
    publication version goes through the publication pipeline (reviews.publication): its texts
    as they are composed (fast, and names the section and paragraph), then every part of the
    finished file itself. A blocked file is never returned, so never stored."""
    document = row.document
    if row.publication:  # a merge (or an empty section) since the render was asked for
        merge_notes_refusal(document, "rendered as a publication version")
        empty_sections_refusal(document, "rendered as a publication version")
    run = publication_for_review(document.review) if row.publication else None
    data = render.render_input(document, publication=row.publication, run=run)
    if run is not None:
        if run.blocking:
            raise PublicationBlocked(run.blocking)
        if data.composed.unresolved_references:
            raise ValidationError("References point at nothing: " + "; ".join(data.composed.unresolved_references))
    if row.format in (DocumentRender.Format.PDF, DocumentRender.Format.SLIDES):
        pdf = html_to_pdf(_print_html(document, row.format, data))
        content, pages = pdf.data, pdf.pages
    elif row.format == DocumentRender.Format.HTML:
        if run is None:
            raise ValidationError("Web pages (HTML) are made of the publication version only.")
        content, pages = render_html.bundle_zip(render_html.bundle_files([data])), None
    else:
        content, pages = document_docx(data), None
    if run is not None:
        label = "PDF slides file" if row.format == DocumentRender.Format.SLIDES else f"{row.format.upper()} file"
        # Slides are a PDF, read as one.
        checked_as = DocumentRender.Format.PDF if row.format == DocumentRender.Format.SLIDES else row.format
        found = run.check_file(checked_as, content, label)
        if found:
            raise PublicationBlocked(found)
    return content, pages


def _print_html(document: Document, fmt: str, data: render.RenderInput) -> str:
    """The print HTML of a PDF: a learning briefing's is its A4 handout or its slides."""
    if document.kind != Document.Kind.LEARNING_BRIEFING:
        return render.document_html(data)
    if fmt == DocumentRender.Format.SLIDES:
        return render_briefing.briefing_slides_html(data)
    return render_briefing.briefing_handout_html(data)


def render_make(row: DocumentRender, run: jobs.JobRun) -> dict:
    """Make the file of a claimed render (the job's work): the file, its page count and the
    revision actually rendered, written with the ready status in one UPDATE."""
    row = DocumentRender.objects.select_related("document__review__partnership").get(pk=row.pk)
    if row.as_published:  # its marking and status as they will be once it is published
        row.document = published_selectors.as_published(row.document)
    # The revision actually rendered, should the document have changed since it was asked for.
    fingerprint, revision = render.document_fingerprint(row.document, fmt=row.format, publication=row.publication)
    try:
        content, pages = render_produce(row)
    except PublicationBlocked as exc:
        raise jobs.JobFailed(str(exc)) from exc
    except ValidationError as exc:
        raise jobs.JobFailed(" ".join(exc.messages)) from exc
    # Stored only once made and checked: a publication version the check blocks is never stored.
    name = file_store(DocumentRender, "file", content, ext=DocumentRender.file_type(row.format))
    return {"file": name, "page_count": pages, "fingerprint": fingerprint, "revision": revision}


def render_cancel(*, actor: User, row: DocumentRender) -> bool:
    """Stop a render that is waiting or being made; False if it had already ended."""
    return jobs.job_cancel_recorded(
        row, actor=actor, action="document.render_cancelled", review=row.document.review,
        object_repr=f"{row.document} as {row.format.upper()}",
    )  # fmt: skip


def render_retry(*, actor: User | None, row: DocumentRender) -> bool:
    """A failed or cancelled render queued again (the chair fixed the text, or a worker error
    passed), or one whose worker stopped, as if asked for now."""
    return jobs.job_retry_recorded(
        row, actor=actor, action="document.render_retried", review=row.document.review,
        object_repr=f"{row.document} as {row.format.upper()}",
    )  # fmt: skip
