"""Background work for reviews. Tasks take ids, load the row and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5)
def notification_send(self, notification_id: int) -> bool:
    """Send one email from the outbox (reviews.notifications). A failed send is tried again with
    a growing pause; after the last try the sweeper hands it over again later."""
    from reviews import notifications

    try:
        return notifications.notification_send(notification_id)
    except Exception as exc:
        if self.request.is_eager:
            raise
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 600)) from exc


@shared_task
def outbox_sweep() -> dict:
    """Every minute: recover every job (casereview.jobs) and every email not yet sent."""
    from casereview import jobs
    from chronology.integrated_timeline import timelines_sweep
    from reviews import notifications

    swept = {name: vars(result) for name, result in jobs.jobs_sweep().items()}
    return {"jobs": swept, "emails": notifications.notifications_sweep(), "timelines": timelines_sweep()}


@shared_task
def reviews_purge_due() -> list[str]:
    """The daily retention sweep: archived reviews past their retention date are purged."""
    from reviews.retention import reviews_purge_due as purge

    return purge()
