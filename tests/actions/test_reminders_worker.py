"""The reminder job through a real Celery worker over Redis: the task the beat schedule names,
sent twice, sends each reminder once. Skipped without REDIS_URL and PostgreSQL, as the other
worker tests are."""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings

from actions.models import Action, ActionReminder
from casereview.celery import app as celery_app
from reviews.models import Imr, Notification
from tests.actions.conftest import make_plan
from tests.test_worker import WORKER_TESTS, _wait_for, sent_emails, worker  # noqa: F401 (the worker fixture)

pytestmark = WORKER_TESTS

D = datetime.date


@pytest.mark.django_db(transaction=True)
def test_the_beat_entry_run_twice_by_a_worker_emails_each_reminder_once(world, worker):  # noqa: F811
    queue, outbox, log = worker
    plan = make_plan(world)
    Action.objects.filter(pk=plan.action_a.pk).update(target_date=D(2026, 7, 1))
    Action.objects.filter(pk=plan.action_b.pk).update(target_date=D(2026, 6, 1))
    Imr.objects.filter(pk=world.imr_a.pk).update(due_date=D(2026, 6, 10), status="in_progress")
    Notification.objects.update(sent_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))

    entry = settings.CELERY_BEAT_SCHEDULE["action-plan-reminders"]
    celery_app.send_task(entry["task"], kwargs={"today_iso": "2026-06-20"}, queue=queue)
    celery_app.send_task(entry["task"], kwargs={"today_iso": "2026-06-20"}, queue=queue)

    def reminders() -> list[str]:
        return [m for m in sent_emails(outbox) if "action due" in m or "action overdue" in m or "IMR overdue" in m]

    def done() -> bool:
        sent = not Notification.objects.filter(sent_at__isnull=True).exists()
        return ActionReminder.objects.count() == 2 and sent and len(reminders()) >= 3

    _wait_for(done, timeout=90, log=log)
    time.sleep(2)  # the second run, had it queued anything more, would have sent it by now
    assert ActionReminder.objects.count() == 2
    reminders = reminders()
    assert len(reminders) == 3, reminders
    assert sum(world.owner.email in m for m in reminders) == 1
    assert sum(world.author_a_owner_b.email in m for m in reminders) == 1
    assert sum(world.chair.email in m for m in reminders) == 1
