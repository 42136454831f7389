"""Scheduled housekeeping for chronologies."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from chronology.models import ChronologyUpload

# A checked file waits this long for its author to import it.
UPLOAD_KEPT_FOR = datetime.timedelta(hours=24)


@shared_task
def uploads_discard_stale() -> int:
    """Clear uploaded files left waiting for import: they hold personal data nobody is using.
    One conditional UPDATE, so running twice (or on two workers) does no harm."""
    return ChronologyUpload.objects.filter(
        status=ChronologyUpload.Status.PREVIEWED, created_at__lt=timezone.now() - UPLOAD_KEPT_FOR
    ).update(status=ChronologyUpload.Status.DISCARDED, data=b"")
