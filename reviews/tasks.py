"""Background work for reviews. Tasks take ids, load the row and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from casereview.job_sweep import jobs_sweep
from chronology.integrated.timeline import timelines_sweep
from reviews import notifications, retention

logger = logging.getLogger(__name__)


@shared_task
def notification_send(notification_id: int) -> bool:
    """Send one email from the outbox (reviews.notifications). A failed send is recorded on its
    row with a growing pause, and the sweeper hands it over again once the pause is over."""
    return notifications.notification_send(notification_id)


@shared_task
def outbox_sweep() -> dict:
    """Every minute: recover every job (casereview.jobs) and every email not yet sent."""
    swept = {name: vars(result) for name, result in jobs_sweep().items()}
    return {"jobs": swept, "emails": notifications.notifications_sweep(), "timelines": timelines_sweep()}


@shared_task
def reviews_purge_due() -> list[str]:
    """The daily retention sweep: archived reviews past their retention date are purged."""
    return retention.reviews_purge_due()


@shared_task
def files_prune() -> list[str]:
    """Daily: generated and uploaded files replaced or finished long ago are freed (casereview.pruning)."""
    from casereview.pruning import files_prune_summary

    lines = files_prune_summary()
    logger.info("Pruned old files: %s", " ".join(lines))
    return lines
