import datetime

from django.conf import settings
from django.core import mail

import actions.tasks  # noqa: F401  (registers the tasks the beat schedule names, as a worker's start does)
from actions.models import Action, ActionReminder, ImrReminder
from actions.reminders import ACTION_THRESHOLDS, threshold_reached
from casereview.celery import app as celery_app
from reviews.models import Imr
from tests.actions.conftest import Plan
from tests.conftest import World

D = datetime.date


def run_beat_entry(django_capture_on_commit_callbacks, today: datetime.date) -> None:
    """Run the task the real beat schedule entry names, as beat would, and send what it queues."""
    entry = settings.CELERY_BEAT_SCHEDULE["action-plan-reminders"]
    task = celery_app.tasks[entry["task"]]
    with django_capture_on_commit_callbacks(execute=True):
        task.apply(args=entry.get("args", ()), kwargs={**entry.get("kwargs", {}), "today_iso": today.isoformat()})


def test_the_latest_threshold_reached_is_the_one_sent():
    due = D(2026, 7, 1)
    assert threshold_reached(ACTION_THRESHOLDS, due, D(2026, 6, 16)) is None
    assert threshold_reached(ACTION_THRESHOLDS, due, D(2026, 6, 17)).key == "due_in_14"
    assert threshold_reached(ACTION_THRESHOLDS, due, D(2026, 6, 28)).key == "due_in_3"
    assert (
        threshold_reached(ACTION_THRESHOLDS, due, D(2026, 7, 1)) is None
    )  # due today: nothing before, nothing after yet
    assert threshold_reached(ACTION_THRESHOLDS, due, D(2026, 7, 2)).key == "overdue_1"
    assert threshold_reached(ACTION_THRESHOLDS, due, D(2026, 9, 1)).key == "overdue_28"


def test_the_reminder_job_run_twice_sends_each_reminder_once(
    world: World, plan: Plan, django_capture_on_commit_callbacks
):
    Action.objects.filter(pk=plan.action_a.pk).update(target_date=D(2026, 7, 1))  # owner: "owner"
    Action.objects.filter(pk=plan.action_b.pk).update(target_date=D(2026, 6, 1))  # owner: author_a_owner_b
    Imr.objects.filter(pk=world.imr_a.pk).update(due_date=D(2026, 6, 10), status="in_progress")
    mail.outbox.clear()

    run_beat_entry(django_capture_on_commit_callbacks, D(2026, 6, 20))
    run_beat_entry(django_capture_on_commit_callbacks, D(2026, 6, 20))

    sent = sorted((message.to[0], message.subject) for message in mail.outbox)
    assert sent == sorted(
        [
            (world.chair.email, "casereview: IMR overdue: Northshire Police (NDHR-01)"),
            (world.author_a_owner_b.email, "casereview: action overdue since 01/06/2026 (NDHR-01)"),
            (world.owner.email, "casereview: action due 01/07/2026 (NDHR-01)"),
        ]
    )
    assert ActionReminder.objects.count() == 2
    assert ImrReminder.objects.count() == 1
    # The action's text stays behind sign-in.
    assert all("DASH" not in message.body for message in mail.outbox)


def test_the_next_threshold_sends_one_more_reminder(world: World, plan: Plan, django_capture_on_commit_callbacks):
    Action.objects.filter(pk=plan.action_a.pk).update(target_date=D(2026, 7, 1))
    Action.objects.filter(pk=plan.action_b.pk).update(status="complete", completed_on=D(2026, 6, 1), outcome="x")
    mail.outbox.clear()
    run_beat_entry(django_capture_on_commit_callbacks, D(2026, 6, 20))
    run_beat_entry(django_capture_on_commit_callbacks, D(2026, 6, 28))
    run_beat_entry(django_capture_on_commit_callbacks, D(2026, 6, 29))
    assert [m.subject for m in mail.outbox if m.to == [world.owner.email]] == [
        "casereview: action due 01/07/2026 (NDHR-01)",
        "casereview: action due 01/07/2026 (NDHR-01)",
    ]
    assert set(ActionReminder.objects.values_list("threshold", flat=True)) == {"due_in_14", "due_in_3"}


def test_an_action_without_an_owner_reminds_every_owner_of_its_agency(
    world: World, plan: Plan, django_capture_on_commit_callbacks
):
    Action.objects.filter(pk=plan.action_a.pk).update(owner=None, target_date=D(2026, 6, 1))
    Action.objects.filter(pk=plan.action_b.pk).update(status="complete", completed_on=D(2026, 6, 1), outcome="x")
    mail.outbox.clear()
    run_beat_entry(django_capture_on_commit_callbacks, D(2026, 6, 20))
    assert [m.to for m in mail.outbox if "action overdue" in m.subject] == [[world.owner.email]]


def test_finished_actions_send_no_reminders(world: World, plan: Plan, django_capture_on_commit_callbacks):
    Action.objects.update(status="complete", completed_on=D(2026, 6, 1), outcome="Done", target_date=D(2026, 6, 1))
    mail.outbox.clear()
    run_beat_entry(django_capture_on_commit_callbacks, D(2026, 6, 20))
    assert not [m for m in mail.outbox if "action" in m.subject]
