"""The one beat: schedules kept in the database, sent by a single process at a time.

``celery -A casereview beat --scheduler casereview.beat:LockedDatabaseScheduler`` reads the
schedule from django-celery-beat's tables (``CELERY_BEAT_SCHEDULE`` is written into them at
start, without touching when each entry last ran) and keeps each entry's last run there, so a
restart, a new container or a new machine carries on where the last beat stopped.

- **One sender.** A beat sends only while it holds the beat lock: a PostgreSQL advisory lock on a
  connection of its own (released by the server when that process or machine dies), or, on
  SQLite, an exclusive lock on a file. A second beat started by mistake waits, checking every
  ``LOCK_RETRY_SECONDS``, and takes over when the first stops.
- **Catch-up at start.** An interval entry that has never run is due at once; one that last ran
  longer ago than its interval (the daily purge, after a night of restarts) is due at once too,
  because its last run is read from the database. A crontab entry whose hour passed while no
  beat ran is sent when beat starts.
- **Written at once.** An entry's last run is saved when it is sent, not minutes later, so a beat
  taking over after a crash does not send it again.

Every scheduled task is still safe to run twice (each reminder is claimed under a unique
constraint; the purge and the sweeper skip what is done), so a lost lock costs nothing but work.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError, connections
from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry

logger = logging.getLogger(__name__)

# How often a waiting beat tries the lock again (seconds).
LOCK_RETRY_SECONDS = 5.0
# The advisory lock's key: any number of the application's own, the same in every process.
ADVISORY_LOCK_KEY = 0x0CA5E_BEA7
# When an entry that never ran last ran: long enough ago for any interval to be due.
NEVER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


class BeatLock:
    """The right to send scheduled tasks, held by one beat for as long as it runs."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self._connection: Any = None
        self._file: IO[str] | None = None

    @property
    def vendor(self) -> str:
        return str(connections[self.alias].vendor)

    def acquire(self) -> bool:
        """Take the lock if it is free; False while another beat holds it."""
        if self.held():
            return True
        try:
            return self._acquire_advisory() if self.vendor == "postgresql" else self._acquire_file()
        except DatabaseError:
            logger.warning("beat lock: the database cannot be reached; trying again", exc_info=True)
            self.release()
            return False

    def held(self) -> bool:
        """True while this process holds the lock (on PostgreSQL: while its connection lives)."""
        if self._file is not None:
            return True
        if self._connection is None:
            return False
        try:
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            logger.warning("beat lock: its connection was lost; no longer sending")
            self.release()
            return False
        return True

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()  # the server releases a session's advisory locks
            except DatabaseError:
                pass
            self._connection = None
        if self._file is not None:
            self._file.close()  # closing the file drops its lock
            self._file = None

    def _acquire_advisory(self) -> bool:
        connection = connections.create_connection(self.alias)
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
            (acquired,) = cursor.fetchone()
        if not acquired:
            connection.close()
            return False
        self._connection = connection
        return True

    def lock_path(self) -> Path:
        """The file locked on SQLite: one per database, in the temporary directory (an in-memory
        database belongs to its process alone, and so does its lock)."""
        name = str(settings.DATABASES[self.alias]["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            name = f"{name}:{os.getpid()}"
        digest = hashlib.sha256(name.encode()).hexdigest()[:16]
        return Path(tempfile.gettempdir()) / f"casereview-beat-{digest}.lock"

    def _acquire_file(self) -> bool:
        handle = self.lock_path().open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True


class CatchUpEntry(ModelEntry):
    """An entry whose interval has never run is due at once (not one interval after start)."""

    def __init__(self, model: Any, app: Any = None) -> None:
        if model.last_run_at is None and model.interval_id is not None:
            model.last_run_at = NEVER
        super().__init__(model, app=app)


class LockedDatabaseScheduler(DatabaseScheduler):
    """django-celery-beat's scheduler, sending only while it holds the ``BeatLock``."""

    Entry = CatchUpEntry

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.lock = BeatLock()
        super().__init__(*args, **kwargs)

    def tick(self, *args: Any, **kwargs: Any) -> float:
        if not self.lock.held():
            if not self.lock.acquire():
                return LOCK_RETRY_SECONDS
            logger.info("beat lock taken: this beat now sends the schedule")
            # Another beat may have sent entries while this one waited: read when each last ran.
            self._schedule = self.all_as_schedule()
            self._heap = None
        return float(super().tick(*args, **kwargs))

    def reserve(self, entry: Any) -> Any:
        new_entry = super().reserve(entry)
        new_entry.save()
        self._dirty.discard(new_entry.name)
        # Kept in memory too: a heap rebuilt from the schedule before the next read of the
        # database must not find the entry still due.
        if self._schedule is not None:
            self._schedule[new_entry.name] = new_entry
        return new_entry

    def close(self) -> None:
        super().close()
        self.lock.release()


# The sweeper is due every minute: no run of it for this long means no beat is sending.
ALIVE_WITHIN = datetime.timedelta(minutes=10)


def beat_sending() -> bool:
    """True when a beat has sent the sweeper lately (the beat container's health check)."""
    from django.utils import timezone  # noqa: PLC0415
    from django_celery_beat.models import PeriodicTask  # noqa: PLC0415

    last = PeriodicTask.objects.filter(name="outbox-sweep").values_list("last_run_at", flat=True).first()
    return last is not None and timezone.now() - last < ALIVE_WITHIN
