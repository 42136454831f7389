"""The reminder job through a real Celery worker over Redis: the task the beat schedule names,
sent twice, sends each reminder once. Skipped without REDIS_URL and PostgreSQL, as the other
worker tests are."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from actions.models import Action, ActionReminder
from casereview.celery import app as celery_app
from reviews import services as review_services
from reviews.models import Imr, Notification, ReviewMembership
from reviews.tasks import membership_notify
from tests.actions.conftest import make_plan
from tests.factories import UserFactory
from tests.test_worker import _wait_for, worker  # noqa: F401 (the worker fixture)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL for a broker"),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="needs a database a worker process can share (PostgreSQL)",
    ),
]

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
    # The worker takes its queue in order: once this marker is done, both runs are done. The
    # emails they queued come after it, so wait for every notification to be sent as well.
    marker = review_services.membership_add(
        actor=world.chair, review=world.review, user=UserFactory(), role="panel", notify=False
    )
    membership_notify.apply_async(args=[marker.pk], queue=queue)

    def reminders() -> list[str]:
        # The file backend appends messages sent within the same second to one file, each ended by a rule.
        messages = [m for path in outbox.iterdir() for m in path.read_text().split("-" * 79 + "\n") if m.strip()]
        return [m for m in messages if "action due" in m or "action overdue" in m or "IMR overdue" in m]

    def done() -> bool:
        # A notification is marked sent as it is claimed, before its email is written: wait for
        # the emails too (a second reminder of one action is ruled out by the count below).
        marked = ReviewMembership.objects.filter(pk=marker.pk, notified_at__isnull=False).exists()
        return marked and not Notification.objects.filter(sent_at__isnull=True).exists() and len(reminders()) >= 3

    _wait_for(done, timeout=90, log=log)
    assert ActionReminder.objects.count() == 2
    reminders = reminders()
    assert len(reminders) == 3, reminders
    assert sum(world.owner.email in m for m in reminders) == 1
    assert sum(world.author_a_owner_b.email in m for m in reminders) == 1
    assert sum(world.chair.email in m for m in reminders) == 1
