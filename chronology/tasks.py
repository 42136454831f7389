"""Scheduled housekeeping for chronologies."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from casereview import jobs
from chronology.models import ChronologyUpload

logger = logging.getLogger(__name__)

# A checked file waits this long for its author to import it.
UPLOAD_KEPT_FOR = datetime.timedelta(hours=24)


@shared_task
def uploads_discard_stale() -> int:
    """Clear uploaded files left waiting for import: they hold personal data nobody is using.
    One conditional UPDATE, so running twice (or on two workers) does no harm."""
    return ChronologyUpload.objects.filter(
        status=ChronologyUpload.Status.PREVIEWED, created_at__lt=timezone.now() - UPLOAD_KEPT_FOR
    ).update(status=ChronologyUpload.Status.DISCARDED, data=b"")


@shared_task
def integrated_build_task(chronology_id: int) -> str:
    """Build one version of the integrated chronology (casereview.jobs: claimed once, heartbeat,
    requeued if its worker or database is lost, failed with its reason for the chair)."""
    from chronology import integrated
    from chronology.models import IntegratedChronology

    return jobs.job_execute(IntegratedChronology, chronology_id, integrated.integrated_build)


@shared_task
def chronology_export_task(export_id: int) -> str:
    """Make one export of a built version (casereview.jobs)."""
    from chronology import exports_service
    from chronology.models import ChronologyExport

    return jobs.job_execute(ChronologyExport, export_id, exports_service.export_produce)


@shared_task
def timelines_redraw_task(review_id: int) -> int:
    """Draw a review's built timelines again after its episodes or person register changed.
    Safe to run twice: each run draws the pictures from what is stored now."""
    from chronology.integrated_timeline import timelines_redraw

    return timelines_redraw(review_id)
