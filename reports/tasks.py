"""Celery tasks of the reports app: rendering documents."""

from __future__ import annotations

from celery import shared_task

from casereview import jobs
from reports import render_service
from reports.models import DocumentRender


@shared_task
def render_document_task(render_id: int) -> str:
    """Render one document (casereview.jobs: claimed once, heartbeat, requeued if its worker or
    database is lost, failed with its reason on the row)."""
    return jobs.job_execute(DocumentRender, render_id, render_service.render_make)
