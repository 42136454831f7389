"""Two real `celery beat` processes on one database and one Redis: one sends, the other waits,
and takes over without sending again what the first sent (casereview.beat)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.test_worker import ROOT, WORKER_TESTS, worker_env

pytestmark = [*WORKER_TESTS, pytest.mark.django_db(transaction=True)]

TAKEN = "beat lock taken"


def start_beat(queue: str, tmp_path: Path, name: str) -> tuple[subprocess.Popen, Path]:
    log_path = tmp_path / f"{name}.log"
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "casereview",
        "beat",
        "--scheduler",
        "casereview.beat:LockedDatabaseScheduler",
        "--max-interval",
        "1",
        "--pidfile",
        str(tmp_path / f"{name}.pid"),
        "--loglevel=INFO",
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=worker_env(queue), stdout=log, stderr=subprocess.STDOUT)
    return process, log_path


def sent(client: redis.Redis, queue: str) -> Counter[str]:
    """The schedule entries whose tasks wait in the queue, by name."""
    messages = [json.loads(raw) for raw in client.lrange(queue, 0, -1)]
    return Counter(message["headers"].get("periodic_task_name", "") for message in messages)


def wait_for(condition, *, timeout: float, logs: list[Path]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail("beat did not get there; its logs:\n" + "\n".join(log.read_text() for log in logs))


def test_two_beats_send_each_entry_once_and_the_second_takes_over(tmp_path):
    queue = f"test-beat-{uuid.uuid4().hex[:12]}"
    client = redis.Redis.from_url(settings.REDIS_URL)
    # Entries on an interval have never run on a fresh database: each is due at once.
    interval_entries = {
        name for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if not hasattr(entry["schedule"], "hour")
    }
    first, first_log = start_beat(queue, tmp_path, "first")
    second, second_log = start_beat(queue, tmp_path, "second")
    logs = [first_log, second_log]
    try:
        wait_for(lambda: interval_entries <= set(sent(client, queue)), timeout=90, logs=logs)
        time.sleep(6)  # the waiting beat tries the lock every 5 seconds: give it one try
        holders = [log for log in logs if TAKEN in log.read_text()]
        assert len(holders) == 1, [log.read_text() for log in logs]
        once = sent(client, queue)
        assert all(once[name] == 1 for name in interval_entries), once

        holder, waiting = (first, second) if holders[0] == first_log else (second, first)
        waiting_log = second_log if holders[0] == first_log else first_log
        holder.terminate()
        holder.wait(timeout=30)
        wait_for(lambda: TAKEN in waiting_log.read_text(), timeout=60, logs=logs)
        time.sleep(3)
        after = sent(client, queue)
        # The daily purge and the hourly discard cannot be due again: sent once in all.
        assert after["purge-reviews-past-retention"] == 1, after
        assert after["discard-stale-chronology-uploads"] == 1, after
        assert waiting.poll() is None
    finally:
        for process in (first, second):
            process.terminate()
            process.wait(timeout=30)
        client.delete(queue)
