"""The hour each partnership's reminders are sent at.

A partnership keeps the default (beat's ``action-plan-reminders`` entry, every day at 07:15)
until its board administrator chooses another hour; it then has a beat entry of its own in the
database (``action-plan-reminders-partnership-<id>``, at a quarter past that hour, local time),
which beat reads like any other (casereview.beat), and the default entry leaves it out. The
entry is where the hour is kept: there is no second copy to disagree with it."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.models import User
from reviews.audit import audit_record
from reviews.models import Partnership

TASK = "actions.tasks.reminders_send"
DEFAULT_HOUR = 7
MINUTE = 15
ENTRY_PREFIX = "action-plan-reminders-partnership-"
HOUR_MESSAGE = "The hour reminders are sent is a whole number from 0 (midnight) to 23 (11 pm)."


def entry_name(partnership_id: int) -> str:
    return f"{ENTRY_PREFIX}{partnership_id}"


def reminder_hour_for(partnership: Partnership) -> int:
    """The hour (0–23, local time) the partnership's reminders are sent at."""
    entry = PeriodicTask.objects.filter(name=entry_name(partnership.pk)).select_related("crontab").first()
    if entry is None or entry.crontab is None:
        return DEFAULT_HOUR
    return int(entry.crontab.hour)


def partnerships_with_own_hour() -> set[int]:
    names = PeriodicTask.objects.filter(name__startswith=ENTRY_PREFIX).values_list("name", flat=True)
    return {int(name.removeprefix(ENTRY_PREFIX)) for name in names if name.removeprefix(ENTRY_PREFIX).isdigit()}


def partnerships_reminded(partnership_id: int | None) -> list[int]:
    """The partnerships one run of the reminder task covers: the one named by its own entry, or,
    from the default entry, every partnership without an entry of its own."""
    if partnership_id is not None:
        return [partnership_id]
    own = partnerships_with_own_hour()
    return [pk for pk in Partnership.objects.values_list("pk", flat=True) if pk not in own]


def _crontab_at(hour: int) -> CrontabSchedule:
    spec = {
        "minute": str(MINUTE),
        "hour": str(hour),
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
        "timezone": settings.TIME_ZONE,
    }
    return CrontabSchedule.objects.filter(**spec).first() or CrontabSchedule.objects.create(**spec)


@transaction.atomic
def partnership_reminder_hour_set(*, actor: User, partnership: Partnership, hour: int) -> int:
    """Send the partnership's reminders at ``hour`` (0–23, local time) from now on; audited."""
    if isinstance(hour, bool) or not isinstance(hour, int) or not 0 <= hour <= 23:
        raise ValidationError({"reminder_hour": HOUR_MESSAGE})
    before = reminder_hour_for(partnership)
    PeriodicTask.objects.update_or_create(
        name=entry_name(partnership.pk),
        defaults={
            "task": TASK,
            "crontab": _crontab_at(hour),
            "interval": None,
            "kwargs": json.dumps({"partnership_id": partnership.pk}),
            "enabled": True,
            # Counted from now: the next run is the new hour's next quarter past, not a missed one.
            "last_run_at": timezone.now(),
            "description": f"Action plan and IMR reminders of {partnership.name}",
        },
    )
    audit_record(
        actor=actor,
        action="partnership.reminder_hour_changed",
        obj=partnership,
        partnership=partnership,
        detail={"from": before, "to": hour},
    )
    return hour
