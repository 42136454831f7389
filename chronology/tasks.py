"""Scheduled housekeeping for chronologies."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.utils import timezone

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


@shared_task(bind=True, max_retries=3)
def integrated_build_task(self, chronology_id: int) -> str:
    """Build one version of the integrated chronology. Safe to run twice: only a queued build
    is claimed, or this task's own after its worker died. A lost database connection is
    retried; anything else fails the build with its reason on the row, for the chair to see
    and retry. Every write is this attempt's only: a retry may have started another."""
    from django.db import OperationalError

    from chronology import integrated

    attempt = integrated.integrated_claim(chronology_id, task_id=self.request.id or "")
    if attempt is None:
        return "not queued"
    try:
        integrated.integrated_build(chronology_id, attempt)
    except integrated.BuildAbandoned as exc:  # purged, or a newer attempt has it: nothing to mark
        logger.info("%s", exc)
        return "abandoned"
    except OperationalError as exc:
        if self.request.retries < self.max_retries and integrated.integrated_requeue(chronology_id, attempt):
            raise self.retry(exc=exc, countdown=5) from exc
        logger.exception("Building integrated chronology %s failed", chronology_id)
        integrated.integrated_fail(chronology_id, attempt, f"{type(exc).__name__}: {exc}")
        return "failed"
    except Exception as exc:
        logger.exception("Building integrated chronology %s failed", chronology_id)
        integrated.integrated_fail(chronology_id, attempt, f"{type(exc).__name__}: {exc}")
        return "failed"
    return "ready"


@shared_task
def chronology_export_task(export_id: int) -> str:
    """Render one export of a built version. Only a queued export is claimed; a failure is
    recorded on the row with its reason."""
    from chronology import exports_service

    return exports_service.export_run(export_id)


@shared_task
def timelines_redraw_task(review_id: int) -> int:
    """Draw a review's built timelines again after its episodes or person register changed.
    Safe to run twice: each run draws the pictures from what is stored now."""
    from chronology.integrated_timeline import timelines_redraw

    return timelines_redraw(review_id)
