"""A board chooses the hour its reminders are sent (actions.reminder_schedule), and beat keeps it."""

from __future__ import annotations

import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from actions import reminder_schedule
from actions.models import Action
from actions.tasks import reminders_send
from reviews.models import AuditEntry
from tests.actions.conftest import Plan, make_plan
from tests.conftest import World

LONDON = ZoneInfo(settings.TIME_ZONE)


@pytest.fixture
def plan(world: World) -> Plan:
    return make_plan(world)


def post_hour(client, world: World, value: str):
    client.force_login(world.board_admin)
    url = reverse("actions:reminder_hour", args=[world.review.partnership_id])
    return client.post(url, {"reminder_hour": value}, follow=True)


def test_a_board_admin_sets_the_hour_and_it_is_audited_and_shown(client, world: World):
    response = post_hour(client, world, "9")
    entry = PeriodicTask.objects.get(name=reminder_schedule.entry_name(world.review.partnership_id))
    assert (entry.task, entry.crontab.hour, entry.crontab.minute) == ("actions.tasks.reminders_send", "9", "15")
    assert str(entry.crontab.timezone) == settings.TIME_ZONE
    assert json.loads(entry.kwargs) == {"partnership_id": world.review.partnership_id}
    audit = AuditEntry.objects.get(action="partnership.reminder_hour_changed")
    assert audit.partnership_id == world.review.partnership_id
    assert audit.detail == {"from": 7, "to": 9}
    assert "are sent at 09:15 from now on" in response.content.decode()
    assert 'value="9"' in response.content.decode()


def test_changing_the_hour_again_keeps_one_entry(client, world: World):
    post_hour(client, world, "9")
    post_hour(client, world, "18")
    entries = PeriodicTask.objects.filter(name__startswith=reminder_schedule.ENTRY_PREFIX)
    assert [entry.crontab.hour for entry in entries] == ["18"]
    assert reminder_schedule.reminder_hour_for(world.review.partnership) == 18


@pytest.mark.parametrize("value", ["24", "-1", "nine", "", "7.5"])
def test_an_hour_outside_0_to_23_is_refused_with_a_message_and_nothing_saved(client, world: World, value):
    response = post_hour(client, world, value)
    page = response.content.decode()
    assert "Reminder hour not saved" in page
    assert "0 (midnight) to 23 (11 pm)" in page or "Enter the hour reminders are sent, from 0 to 23" in page
    assert not PeriodicTask.objects.filter(name__startswith=reminder_schedule.ENTRY_PREFIX).exists()
    assert not AuditEntry.objects.filter(action="partnership.reminder_hour_changed").exists()


def test_the_service_refuses_an_hour_out_of_range(world: World):
    with pytest.raises(ValidationError) as refused:
        reminder_schedule.partnership_reminder_hour_set(
            actor=world.board_admin, partnership=world.review.partnership, hour=24
        )
    assert refused.value.message_dict == {"reminder_hour": [reminder_schedule.HOUR_MESSAGE]}


def test_the_partnerships_entry_is_due_at_its_hour_and_not_before(world: World):
    reminder_schedule.partnership_reminder_hour_set(
        actor=world.board_admin, partnership=world.review.partnership, hour=9
    )
    entry = PeriodicTask.objects.get(name=reminder_schedule.entry_name(world.review.partnership_id))
    schedule = entry.crontab.schedule
    last_run = datetime.datetime(2026, 6, 19, 9, 15, tzinfo=LONDON)  # yesterday's run

    schedule.nowfun = lambda: datetime.datetime(2026, 6, 20, 8, 30, tzinfo=LONDON)
    assert not schedule.is_due(last_run).is_due  # the default hour (07:15) has passed: not sent
    schedule.nowfun = lambda: datetime.datetime(2026, 6, 20, 9, 15, 30, tzinfo=LONDON)
    assert schedule.is_due(last_run).is_due


def run_reminders(django_capture_on_commit_callbacks, **kwargs) -> list[str]:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send.apply(kwargs={"today_iso": "2026-06-20", **kwargs})
    return sorted(message.to[0] for message in mail.outbox)


def test_the_default_entry_leaves_out_a_partnership_with_its_own_hour_which_sends_its_own(
    world: World, plan: Plan, django_capture_on_commit_callbacks
):
    Action.objects.filter(pk=plan.action_a.pk).update(target_date=datetime.date(2026, 7, 1))
    reminder_schedule.partnership_reminder_hour_set(
        actor=world.board_admin, partnership=world.review.partnership, hour=9
    )
    default = settings.CELERY_BEAT_SCHEDULE["action-plan-reminders"]
    assert default.get("kwargs", {}) == {}

    assert run_reminders(django_capture_on_commit_callbacks) == []  # 07:15: not this partnership
    entry = PeriodicTask.objects.get(name=reminder_schedule.entry_name(world.review.partnership_id))
    own = run_reminders(django_capture_on_commit_callbacks, **json.loads(entry.kwargs))  # 09:15
    assert own == [world.owner.email]
    assert run_reminders(django_capture_on_commit_callbacks, **json.loads(entry.kwargs)) == []  # once


def test_without_a_chosen_hour_the_default_entry_sends(world: World, plan: Plan, django_capture_on_commit_callbacks):
    Action.objects.filter(pk=plan.action_a.pk).update(target_date=datetime.date(2026, 7, 1))
    assert run_reminders(django_capture_on_commit_callbacks) == [world.owner.email]
    assert reminder_schedule.reminder_hour_for(world.review.partnership) == reminder_schedule.DEFAULT_HOUR
