"""The one beat (casereview.beat): schedules in the database, one sender, catch-up at start."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from casereview.beat import LockedDatabaseScheduler
from casereview.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True)

PURGE = "purge-reviews-past-retention"


class Recording(LockedDatabaseScheduler):
    """A scheduler that records what it would send instead of sending it."""

    def __init__(self, *args, **kwargs):
        self.sent: list[str] = []
        super().__init__(*args, **kwargs)

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        self.sent.append(entry.name)


def beat() -> Recording:
    return Recording(app=celery_app)


def run(scheduler: Recording, ticks: int = 20) -> None:
    """Tick until nothing more is due (a tick sends at most one entry)."""
    for _ in range(ticks):
        scheduler.tick()


@pytest.fixture(autouse=True)
def _this_app_current():
    """The beat's schedule read with this app current, as in a beat process: tests elsewhere in
    the same process make other Celery apps current, and a settings crontab keeps the time zone
    of the app current when it was first read."""
    celery_app.set_current()
    for entry in celery_app.conf.beat_schedule.values():
        if hasattr(entry["schedule"], "__dict__"):  # a crontab, not a number of seconds
            entry["schedule"].__dict__.pop("tz", None)
    yield


@pytest.fixture
def beats():
    started: list[Recording] = []

    def start() -> Recording:
        scheduler = beat()
        started.append(scheduler)
        return scheduler

    yield start
    for scheduler in started:
        scheduler.lock.release()


def test_the_settings_schedule_is_written_to_the_database(beats):
    beats()
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {"outbox-sweep", PURGE, "action-plan-reminders"} <= names
    morning = PeriodicTask.objects.get(name="action-plan-reminders").crontab
    assert (morning.minute, morning.hour, str(morning.timezone)) == ("15", "7", settings.TIME_ZONE)


def test_a_second_beat_on_the_same_database_sends_nothing_while_the_first_runs(beats):
    first, second = beats(), beats()
    run(first)
    run(second)
    assert PURGE in first.sent
    assert sorted(first.sent) == sorted(set(first.sent))  # each entry once
    assert second.sent == []


def test_a_beat_that_takes_over_does_not_send_again_what_the_first_sent(beats):
    first, second = beats(), beats()
    run(first)
    run(second)
    first.lock.release()  # the first beat stops (its process dies)
    run(second)
    assert second.lock.held()
    assert PURGE not in second.sent
    assert "outbox-sweep" not in second.sent  # sent less than a minute ago by the first


def restarted_after(beats, last_run: datetime.timedelta) -> Recording:
    """Beat restarted (a new container) when the purge last ran ``last_run`` ago."""
    first = beats()
    run(first)
    first.lock.release()  # the old beat's lock goes with its process
    PeriodicTask.objects.filter(name=PURGE).update(last_run_at=timezone.now() - last_run)
    restarted = beats()
    run(restarted)
    return restarted


def test_the_daily_purge_runs_at_start_when_it_has_not_run_for_a_day(beats):
    assert PURGE in restarted_after(beats, datetime.timedelta(hours=25)).sent


def test_the_daily_purge_waits_when_it_ran_within_the_day(beats):
    restarted = restarted_after(beats, datetime.timedelta(hours=23))
    assert PURGE not in restarted.sent
    assert restarted.lock.held()


def test_a_first_start_sends_the_daily_purge_at_once(beats):
    first = beats()
    run(first)
    assert PURGE in first.sent


def test_a_sent_entry_is_saved_with_its_last_run_at_once(beats):
    first = beats()
    run(first)
    purge = PeriodicTask.objects.get(name=PURGE)
    assert purge.last_run_at is not None
    assert timezone.now() - purge.last_run_at < datetime.timedelta(hours=1)
    assert purge.total_run_count == 1


def test_the_health_check_sees_a_beat_sending_and_one_stopped(beats):
    from casereview.beat import ALIVE_WITHIN, beat_sending

    run(beats())
    assert beat_sending()
    PeriodicTask.objects.filter(name="outbox-sweep").update(last_run_at=timezone.now() - ALIVE_WITHIN * 2)
    assert not beat_sending()


def test_the_daily_purge_sent_twice_purges_once_and_audits_once(world):
    """Whatever the scheduler does, the purge is safe to run again: the second run finds nothing."""
    from reviews import retention
    from reviews.models import AuditEntry, Review
    from reviews.tasks import reviews_purge_due

    today = timezone.localdate()
    retention.review_archive(
        actor=world.board_admin, review=world.review, retain_until=today.replace(year=today.year + 1)
    )
    Review.objects.filter(pk=world.review.pk).update(retain_until=today - datetime.timedelta(days=1))
    assert reviews_purge_due.apply().get() == [world.review.reference]
    purges = AuditEntry.objects.filter(review=world.review, action__contains="purge").count()
    assert reviews_purge_due.apply().get() == []
    assert AuditEntry.objects.filter(review=world.review, action__contains="purge").count() == purges >= 1
