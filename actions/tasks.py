"""Celery tasks of the action plan: each takes what it needs by id or date and calls one service."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from actions import board_exports, reminder_schedule, reminders
from actions.models import BoardPlanExport
from casereview import jobs


@shared_task
def reminders_send(today_iso: str | None = None, partnership_id: int | None = None) -> dict[str, int]:
    """Queue every reminder due today (Celery beat): with a partnership, that partnership's (its
    own entry, at the hour its board chose: actions.reminder_schedule); without, those of every
    partnership keeping the default hour (``CELERY_BEAT_SCHEDULE["action-plan-reminders"]``).
    Returns how many of each kind were queued."""
    today = datetime.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    partnership_ids = reminder_schedule.partnerships_reminded(partnership_id)
    return reminders.reminders_send(today=today, partnership_ids=partnership_ids)


@shared_task
def board_export_build_task(export_id: int) -> str:
    """Make one board export (casereview.jobs)."""
    return jobs.job_execute(BoardPlanExport, export_id, board_exports.board_export_make)
