"""The sweeper of every kind of job (``casereview.jobs``), run every minute from beat as
``reviews.tasks.outbox_sweep``: what a lost worker left running goes back to the queue, and what
a lost broker never delivered is sent again."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from casereview import jobs
from casereview.jobs import MAX_INTERRUPTIONS, RESEND_AFTER, STUCK_AFTER, Job, interrupted_reason, job_models

logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    requeued: int = 0
    failed: int = 0
    sent: int = 0


def jobs_sweep(*, now: datetime | None = None) -> dict[str, SweepResult]:
    """Recover every kind of job: running rows whose heartbeat stopped go back to the queue (or
    fail after MAX_INTERRUPTIONS); queued rows never sent, or sent and never claimed, are sent.
    Safe to run twice or on two beats at once: every change is a conditional UPDATE."""
    now = now or timezone.now()
    stale = now - STUCK_AFTER
    results: dict[str, SweepResult] = {}
    for model in job_models():
        result = SweepResult()
        dead = Q(status=Job.Status.RUNNING) & (
            Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale)
        )
        with transaction.atomic():
            # A row its worker holds locked (a build inside its transaction) is alive, whatever its
            # heartbeat says: it is passed over, not waited for.
            dead_rows = list(
                model.objects.select_for_update(skip_locked=True).filter(dead).values_list("pk", "interruptions")
            )
            spent = [pk for pk, interruptions in dead_rows if interruptions >= MAX_INTERRUPTIONS - 1]
            result.failed = model.objects.filter(dead, pk__in=spent).update(
                status=Job.Status.FAILED, error=interrupted_reason(MAX_INTERRUPTIONS), finished_at=now
            )
            result.requeued = model.objects.filter(dead, pk__in=[pk for pk, _ in dead_rows]).update(
                status=Job.Status.QUEUED, interruptions=F("interruptions") + 1, dispatched_at=None, heartbeat_at=None
            )
        unsent = Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - RESEND_AFTER)
        for pk in model.objects.filter(unsent, status=Job.Status.QUEUED).values_list("pk", flat=True)[:500]:
            result.sent += jobs.job_dispatch(model, pk)
        results[model._meta.label_lower] = result
        if result.requeued or result.failed or result.sent:
            logger.info("Swept %s: %s", model._meta.label_lower, result)
    return results
