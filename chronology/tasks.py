"""The chronology's Celery tasks: each takes an id, and calls one service (through the job
mechanism, casereview.jobs, for the jobs a page waits on)."""

from __future__ import annotations

import logging

from celery import shared_task

from casereview import jobs
from chronology import services
from chronology.exports import services as export_services
from chronology.integrated import build as integrated_build
from chronology.integrated import timeline
from chronology.models import ChronologyExport, ChronologyUpload, IntegratedChronology

logger = logging.getLogger(__name__)


@shared_task
def uploads_discard_stale() -> int:
    """Hourly: uploads left waiting for import are cleared (chronology.services.uploads_discard_stale)."""
    return services.uploads_discard_stale()


@shared_task
def upload_parse_task(upload_id: int) -> str:
    """Check one uploaded chronology file, once (casereview.jobs): its rows and issues are stored
    for the preview and the import, or the job fails saying why the file cannot be read."""
    return jobs.job_execute(ChronologyUpload, upload_id, services.upload_parse)


@shared_task
def integrated_build_task(chronology_id: int) -> str:
    """Build one version of the integrated chronology (casereview.jobs: claimed once, heartbeat,
    requeued if its worker or database is lost, failed with its reason for the chair)."""
    return jobs.job_execute(IntegratedChronology, chronology_id, integrated_build.integrated_build)


@shared_task
def chronology_export_task(export_id: int) -> str:
    """Make one export of a built version (casereview.jobs)."""
    return jobs.job_execute(ChronologyExport, export_id, export_services.export_produce)


@shared_task
def timelines_redraw_task(review_id: int) -> int:
    """Draw a review's built timelines again after its episodes or person register changed.
    Safe to run twice: each run draws the pictures from what is stored now."""
    return timeline.timelines_redraw(review_id)
