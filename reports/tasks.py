"""Celery tasks of the reports app: rendering documents."""

from __future__ import annotations

from celery import shared_task


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=3)
def render_document_task(self, render_id: int) -> str:
    """Render one document row. Acknowledged only when done: a worker killed mid-render puts
    the message back, and the same task (same id) takes its running row up again. A lost
    database connection is retried; anything else fails the row with its reason."""
    from django.db import OperationalError

    from reports import render_service
    from reports.models import DocumentRender

    try:
        return render_service.render_run(render_id, task_id=self.request.id or "")
    except OperationalError as exc:
        # Only this task's claim: a retry of a stuck render may have handed the row to another.
        DocumentRender.objects.filter(
            pk=render_id, status=DocumentRender.Status.RUNNING, task_id=(self.request.id or "")[:64]
        ).update(status=DocumentRender.Status.QUEUED, task_id="")
        raise self.retry(exc=exc, countdown=5) from exc
