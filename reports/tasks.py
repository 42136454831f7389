"""Celery tasks of the reports app: rendering documents and making submission packs."""

from __future__ import annotations

from celery import shared_task

from casereview import jobs
from reports import render_service, submission_pack
from reports.models import DocumentRender, SubmissionPack


@shared_task
def render_document_task(render_id: int) -> str:
    """Render one document (casereview.jobs: claimed once, heartbeat, requeued if its worker or
    database is lost, failed with its reason on the row)."""
    return jobs.job_execute(DocumentRender, render_id, render_service.render_make)


@shared_task
def submission_pack_task(pack_id: int) -> str:
    """Make one submission pack (casereview.jobs)."""
    return jobs.job_execute(SubmissionPack, pack_id, submission_pack.pack_make)
