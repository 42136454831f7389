"""Rows that wait for a Celery task (a chronology build, a document render): when one counts as
stuck, so that the page offers a retry. A row still queued this long after it was asked for lost
its task (a broker restarted empty, say); one running this long ago died with its worker."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

STUCK_AFTER = datetime.timedelta(minutes=15)


def stuck_q(*, queued: str, running: str) -> Q:
    """Rows in either state for longer than STUCK_AFTER (a retry sets `requested_at` anew)."""
    cutoff = timezone.now() - STUCK_AFTER
    return Q(status=queued, requested_at__lt=cutoff) | Q(status=running, started_at__lt=cutoff)


def is_stuck(row, *, queued: str, running: str) -> bool:
    """The same test as stuck_q, for a row in hand."""
    cutoff = timezone.now() - STUCK_AFTER
    if row.status == queued:
        return row.requested_at < cutoff
    return row.status == running and row.started_at is not None and row.started_at < cutoff
