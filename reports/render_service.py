"""Rendered documents as rows: asked for on the document page or the command line, made by a
Celery task, offered for download through an access-checked view.

A render is keyed on the document's fingerprint (reports.render.document_fingerprint): asking
again for an unchanged document gives the row already made (or being made). The file is written
by the same UPDATE that marks the row ready, so a worker that dies mid-render leaves a running
row with no file; the redelivered task takes it up again (reports.tasks)."""

from __future__ import annotations

import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from casereview.stuck import stuck_q
from reports import render
from reports.models import Document, DocumentRender
from reviews.audit import audit_record
from reviews.publication import PublicationBlocked, publication_for_review

logger = logging.getLogger(__name__)


@transaction.atomic
def render_request(*, actor: User | None, document: Document, fmt: str, publication: bool) -> DocumentRender:
    """The render of the document as it stands: the one already made or under way for this
    revision, or a new row queued for a worker."""
    from reports.tasks import render_document_task

    if fmt not in DocumentRender.Format.values:
        raise ValidationError({"format": f'"{fmt}" is not a format: use pdf or docx.'})
    fingerprint, revision = render.document_fingerprint(document, fmt=fmt, publication=publication)
    existing = (
        DocumentRender.objects.filter(document=document, fingerprint=fingerprint, format=fmt, publication=publication)
        .exclude(status=DocumentRender.Status.FAILED)
        .order_by("-pk")
        .first()
    )
    version = "publication" if publication else "panel"
    detail = {"format": fmt, "version": version, "fingerprint": fingerprint[:16]}
    if existing is not None and existing.is_stuck and render_retry(actor=actor, row=existing):
        existing.refresh_from_db()  # its task was lost or its worker died: asked for again
        return existing
    if existing is not None:
        audit_record(
            actor=actor,
            action="document.render_reused",
            obj=existing,
            review=document.review,
            object_repr=f"{document} as {fmt.upper()} ({version} version)",
            detail=detail,
        )
        return existing
    row = DocumentRender.objects.create(
        document=document,
        format=fmt,
        publication=publication,
        fingerprint=fingerprint,
        revision=revision,
        requested_by=actor,
    )
    audit_record(
        actor=actor,
        action="document.render_requested",
        obj=row,
        review=document.review,
        object_repr=f"{document} as {fmt.upper()} ({version} version)",
        detail=detail,
    )
    transaction.on_commit(partial(render_document_task.delay, row.pk))
    return row


def render_claim(render_id: int, *, task_id: str) -> bool:
    """Take a queued render. The same task may take a running one again: its worker died
    mid-render (the message comes back because tasks are acknowledged late); another copy may not."""
    claimed = DocumentRender.objects.filter(
        Q(status=DocumentRender.Status.QUEUED) | Q(status=DocumentRender.Status.RUNNING, task_id=task_id),
        pk=render_id,
    ).update(status=DocumentRender.Status.RUNNING, task_id=task_id[:64], started_at=timezone.now())
    return bool(claimed)


def render_produce(row: DocumentRender) -> tuple[bytes, int | None]:
    """The file for a claimed row, or PublicationBlocked naming where each finding is. A
    publication version goes through the publication pipeline (reviews.publication): its texts
    as they are composed (fast, and names the section and paragraph), then every part of the
    finished file itself. A blocked file is never returned, so never stored."""
    document = row.document
    run = publication_for_review(document.review) if row.publication else None
    data = render.render_input(document, publication=row.publication, run=run)
    if run is not None:
        if run.blocking:
            raise PublicationBlocked(run.blocking)
        if data.composed.unresolved_references:
            raise ValidationError("References point at nothing: " + "; ".join(data.composed.unresolved_references))
    if row.format == DocumentRender.Format.PDF:
        pdf = render.pdf_render(render.document_html(data))
        content, pages = pdf.data, pdf.pages
    else:
        from reports.docx_render import document_docx

        content, pages = document_docx(data), None
    if run is not None:
        found = run.check_file(row.format, content, f"{row.format.upper()} file")
        if found:
            raise PublicationBlocked(found)
    return content, pages


def render_run(render_id: int, *, task_id: str = "") -> str:
    """Make the file of one render row (the task's work). Safe to run twice."""
    if not render_claim(render_id, task_id=task_id):
        return "not queued"
    row = DocumentRender.objects.select_related("document__review__partnership").get(pk=render_id)
    # The revision actually rendered, should the document have changed since it was asked for.
    fingerprint, revision = render.document_fingerprint(row.document, fmt=row.format, publication=row.publication)
    try:
        content, pages = render_produce(row)
    except (PublicationBlocked, ValidationError) as exc:
        render_fail(render_id, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc), task_id)
        return "failed"
    except OperationalError:
        raise  # the database went away: the task retries
    except Exception as exc:
        logger.exception("Rendering %s failed", render_id)
        render_fail(render_id, f"{type(exc).__name__}: {exc}", task_id)
        return "failed"
    # One UPDATE writes the file and marks it ready: there is never a half-written file. Only
    # this task's claim: a retry of a stuck render may have handed the row to another task.
    written = DocumentRender.objects.filter(
        pk=render_id, status=DocumentRender.Status.RUNNING, task_id=task_id[:64]
    ).update(
        status=DocumentRender.Status.READY,
        data=content,
        page_count=pages,
        error="",
        fingerprint=fingerprint,
        revision=revision,
        finished_at=timezone.now(),
    )
    return "ready" if written else "abandoned"


def render_fail(render_id: int, error: str, task_id: str) -> None:
    """Mark this task's claim failed (not a newer one's, after a retry)."""
    DocumentRender.objects.filter(pk=render_id, status=DocumentRender.Status.RUNNING, task_id=task_id[:64]).update(
        status=DocumentRender.Status.FAILED, error=error[:4000], data=b"", finished_at=timezone.now()
    )


def render_retry(*, actor: User | None, row: DocumentRender) -> bool:
    """A failed render queued again (the chair fixed the text, or a worker error passed), or a
    stuck one (casereview.stuck: its task was lost, or its worker died), as if asked for now."""
    from reports.tasks import render_document_task

    Status = DocumentRender.Status
    retryable = Q(status=Status.FAILED) | stuck_q(queued=Status.QUEUED, running=Status.RUNNING)
    with transaction.atomic():
        queued = (
            DocumentRender.objects.filter(retryable, pk=row.pk)
            .update(status=Status.QUEUED, error="", task_id="", started_at=None, finished_at=None,
                    requested_at=timezone.now(), **({"requested_by": actor} if actor else {}))
        )  # fmt: skip
        if queued:
            audit_record(
                actor=actor,
                action="document.render_retried",
                obj=row,
                review=row.document.review,
                object_repr=f"{row.document} as {row.format.upper()}",
            )
            transaction.on_commit(partial(render_document_task.delay, row.pk))
    return bool(queued)
