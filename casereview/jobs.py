"""One mechanism for background work: a row the page polls, and the services that move it.

Every kind of job (a chronology build, a document render, an export, an upload's parse...) is a
model that inherits ``Job`` and names the Celery task that does its work. The task is one line::

    @shared_task
    def render_document_task(job_id: int) -> str:
        return jobs.job_execute(DocumentRender, job_id, render_service.render_produce)

and the handler takes the claimed row and a ``JobRun``, reports progress with ``run.progress()``,
raises ``JobFailed`` with a sentence for the user when the work cannot be done, and returns the
fields to write with the ready status (the file, its page count...), all in one UPDATE.

What the mechanism guarantees, whatever fails:

- **Outbox.** A row is created queued and unsent (``dispatched_at`` empty) inside the request's
  transaction; its task is sent after commit, and a broker that is down never fails the request.
  The sweeper (``casereview.job_sweep``, every minute from beat) sends what is unsent and sends
  again what was sent but never claimed (a broker restarted empty).
- **Claim by attempt.** A worker claims a queued row with one conditional UPDATE that counts the
  attempt; every later write of that worker names its attempt, so a worker that lost its claim
  (the row was retried, cancelled or taken over) writes nothing.
- **Heartbeat.** While the handler works, a thread in the worker writes ``heartbeat_at`` every
  ``HEARTBEAT_EVERY``. A row running without a heartbeat for ``STUCK_AFTER`` lost its worker
  (killed, out of memory, a deploy): the sweeper puts it back in the queue, up to
  ``MAX_INTERRUPTIONS`` times, then fails it with a reason.
- **Database loss.** A lost connection is closed and opened again before any further write; the
  final write is tried again for up to ``FINAL_WRITE_PATIENCE``, so finished work is kept.
- **De-duplication.** ``job_request`` returns the identical job already waiting or running.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from celery.exceptions import SoftTimeLimitExceeded
from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from casereview.celery import app as celery_app
from casereview.storage import files_delete_on_commit
from reviews.audit import audit_record

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

HEARTBEAT_EVERY = 15  # seconds
# A running job whose heartbeat is this old has lost its worker.
STUCK_AFTER = timedelta(minutes=2)
# A queued job sent this long ago and still not claimed lost its message: it is sent again.
RESEND_AFTER = timedelta(minutes=2)
# How many times a job may lose its worker before it is failed rather than queued again.
MAX_INTERRUPTIONS = 3
# How long a finished job keeps trying to write its result through a lost database connection.
FINAL_WRITE_PATIENCE = 120  # seconds
# How much of a failure reason a row keeps.
ERROR_CHARACTERS = 4000

DATABASE_LOST = (OperationalError, InterfaceError)

J = TypeVar("J", bound="Job")
T = TypeVar("T")


class Job(models.Model):
    """A unit of background work the page polls. Concrete kinds set ``task_name``."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "In progress"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    # The Celery task (its dotted path, which is also its name) that takes the row's id.
    task_name: str = ""
    # Whether the person who asked may cancel it while it waits or runs.
    cancellable: bool = True

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    # The outbox: empty until the task is handed to the broker.
    dispatched_at = models.DateTimeField(null=True, blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Counts every claim: a worker's writes name its attempt, so a superseded one writes nothing.
    attempt = models.PositiveIntegerField(default=0, editable=False)
    # Times this request lost its worker or database and was queued again.
    interruptions = models.PositiveSmallIntegerField(default=0, editable=False)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done while running.")
    # Why it failed, in words for the person who asked.
    error = models.TextField(blank=True)

    if TYPE_CHECKING:
        # Every concrete kind has Django's default manager; the stubs give an abstract model none.
        objects: ClassVar[models.Manager[Self]]

    class Meta:
        abstract = True

    @property
    def in_progress(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def job_key(self) -> str:
        """Names the job's region on a page: unique across kinds."""
        return f"{self._meta.model_name}-{self.pk}"

    @property
    def status_text(self) -> str:
        """The status in a sentence for the page's status region."""
        if self.status == self.Status.RUNNING and self.progress:
            return f"In progress: {self.progress}% done."
        if self.status == self.Status.QUEUED and self.interruptions:
            return "Waiting to start again (the work was interrupted)."
        texts: dict[str, str] = {
            self.Status.QUEUED: "Waiting to start.",
            self.Status.RUNNING: "In progress.",
            self.Status.READY: "Ready.",
            self.Status.FAILED: f"Failed: {self.error}" if self.error else "Failed.",
            self.Status.CANCELLED: "Cancelled.",
        }
        return texts.get(self.status, f"{self.get_status_display()}.")


class JobFailed(Exception):
    """The work cannot be done, for a reason the person who asked can read and act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class JobAbandoned(Exception):
    """This attempt no longer holds the row: cancelled, retried, or taken over after a stall."""


def job_models() -> list[type[Job]]:
    """Every concrete kind of job: what the sweeper looks after."""
    return [model for model in apps.get_models() if issubclass(model, Job)]


# --- asking for work ---


def job_request(
    model: type[J], *, actor: User | None, same: dict[str, Any] | None = None, **fields: Any
) -> tuple[J, bool]:
    """A new queued row (sent to a worker once the caller's transaction commits), or the identical
    job already waiting or running: ``same`` names what makes two requests identical. Returns the
    row and whether it is new. Call inside the caller's transaction, with its audit entry."""
    if same is not None:
        existing = model.objects.filter(**same, status__in=model.ACTIVE).order_by("-pk").first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            row = model.objects.create(requested_by=actor, **(same or {}), **fields)
    except IntegrityError:
        # The same request at the same moment, by a constraint on the kind: that one is the job.
        if same is None:
            raise
        existing = model.objects.filter(**same, status__in=model.ACTIVE).order_by("-pk").first()
        if existing is None:
            raise
        return existing, False
    job_send_on_commit(row)
    return row, True


def job_send_on_commit(row: Job) -> None:
    """Send the row's task once the current transaction commits (now, outside one)."""
    model, pk = type(row), row.pk
    transaction.on_commit(lambda: job_dispatch(model, pk), robust=True)


def job_dispatch(model: type[Job], pk: int) -> bool:
    """Hand a queued row's task to the broker. A broker that is down leaves the row unsent, for
    the sweeper to send when it is back; the caller never sees the error."""
    sent_at = timezone.now()
    if not model.objects.filter(pk=pk, status=Job.Status.QUEUED).update(dispatched_at=sent_at):
        return False
    if task_send(model.task_name, pk):
        return True
    model.objects.filter(pk=pk, status=Job.Status.QUEUED, dispatched_at=sent_at).update(dispatched_at=None)
    return False


def task_send(task_name: str, *args: Any) -> bool:
    """Hand a task to the broker: the one place every outbox (jobs, emails, timeline redraws) does.
    A broker that is down is logged and answered False, never raised: the caller's row still says
    the work is wanted, and a sweeper sends it later. In process (no broker) the task runs here,
    and its own errors are raised."""
    task = import_string(task_name)
    try:
        if celery_app.conf.task_always_eager:
            # In process, whichever Celery app is current (a task is shared by every app): run it here.
            task.apply(args=list(args), throw=celery_app.conf.task_eager_propagates)
        else:
            task.apply_async(args=list(args))
    except Exception as exc:  # noqa: BLE001 - the broker's errors are many; each leaves the row for the sweeper
        if celery_app.conf.task_always_eager:
            raise  # in-process: the task's own error, not the broker's
        logger.warning("Could not send %s%s to the broker (%s); the sweeper will", task_name, args, exc)
        return False
    return True


def job_retry(row: Job, *, actor: User | None = None) -> bool:
    """Queue a failed, cancelled or stuck job again, as if asked for now. False if it is alive
    or done. The retried row is a new request: a worker still holding the old attempt writes nothing."""
    Status = Job.Status
    stale = timezone.now() - STUCK_AFTER
    retryable = Q(status__in=[Status.FAILED, Status.CANCELLED]) | Q(status=Status.RUNNING, heartbeat_at__lt=stale)
    with transaction.atomic():
        # A row its worker holds locked is alive: passed over, not waited for.
        if not type(row).objects.select_for_update(skip_locked=True).filter(retryable, pk=row.pk).exists():
            return False
        queued = type(row).objects.filter(retryable, pk=row.pk).update(
            status=Status.QUEUED, error="", progress=0, interruptions=0, started_at=None, heartbeat_at=None,
            finished_at=None, dispatched_at=None, requested_at=timezone.now(),
            **({"requested_by": actor} if actor else {}),
        )  # fmt: skip
        if queued:
            job_send_on_commit(row)
    if queued:
        row.refresh_from_db()
    return bool(queued)


def jobs_cancel(rows: models.QuerySet[Job]) -> int:
    """Stop every waiting or running job among ``rows``; returns how many. A running worker
    notices at its next heartbeat or progress report and writes nothing more."""
    return rows.filter(status__in=Job.ACTIVE).update(status=Job.Status.CANCELLED, finished_at=timezone.now())


def job_cancel(row: Job) -> bool:
    """Stop a waiting or running job (jobs_cancel)."""
    cancelled = jobs_cancel(type(row).objects.filter(pk=row.pk))
    if cancelled:
        row.refresh_from_db()
    return bool(cancelled)


def job_retry_recorded(row: Job, *, actor: User | None, action: str, **audit: Any) -> bool:
    """``job_retry`` for someone who asked, written to the audit trail with the retry (``audit``:
    the ``review`` or ``partnership`` and ``object_repr`` of ``reviews.audit.audit_record``)."""
    with transaction.atomic():
        queued = job_retry(row, actor=actor)
        if queued:
            audit_record(actor=actor, action=action, obj=row, **audit)
    return queued


def job_cancel_recorded(row: Job, *, actor: User, action: str, **audit: Any) -> bool:
    """``job_cancel`` for someone who asked, written to the audit trail with the cancellation."""
    with transaction.atomic():
        cancelled = job_cancel(row)
        if cancelled:
            audit_record(actor=actor, action=action, obj=row, **audit)
    return cancelled


# --- doing the work (in the worker) ---


@dataclass
class JobRun:
    """One claimed attempt at a job: what its handler reports progress through."""

    model: type[Job]
    pk: int
    attempt: int
    lost: threading.Event = field(default_factory=threading.Event)
    finished: bool = False

    def mine(self) -> models.QuerySet[Job]:
        """The row, while this attempt still holds it."""
        return self.model.objects.filter(pk=self.pk, status=Job.Status.RUNNING, attempt=self.attempt)

    def check(self) -> None:
        """Stop here if this attempt has lost the row (the heartbeat found it cancelled or taken)."""
        if self.lost.is_set():
            raise JobAbandoned(f"{self.model.__name__} {self.pk} attempt {self.attempt} no longer holds the row")

    def progress(self, percent: int) -> None:
        """Report progress (also a heartbeat); stops the work if the row is no longer this attempt's."""
        self.check()
        if not self.mine().update(progress=max(0, min(100, int(percent))), heartbeat_at=timezone.now()):
            self.lost.set()
            self.check()

    def finish(self, **fields: Any) -> bool:
        """Mark the row ready with its result, in one UPDATE (inside the handler's own transaction,
        when the result must appear with other rows it wrote); job_execute does it otherwise."""
        replaced = self._files_replaced(fields)
        if self.mine().update(status=Job.Status.READY, progress=100, error="", finished_at=timezone.now(), **fields):
            self.finished = True
            _files_delete(replaced)
        else:
            self.lost.set()
            _files_delete(self._files_in(fields))
        return self.finished

    def update(self, **fields: Any) -> None:
        """Write fields on the row while it is this attempt's (counts, a partial result)."""
        replaced = self._files_replaced(fields)
        if not self.mine().update(**fields):
            self.lost.set()
            _files_delete(self._files_in(fields))
            self.check()
        _files_delete(replaced)

    def _files_in(self, fields: dict[str, Any]) -> list[tuple[models.FileField, str]]:
        """The stored files (casereview.storage) that ``fields`` name."""
        found = [(self.model._meta.get_field(name), value) for name, value in fields.items()]
        return [(f, str(value)) for f, value in found if isinstance(f, models.FileField) and value]

    def _files_replaced(self, fields: dict[str, Any]) -> list[tuple[models.FileField, str]]:
        """The stored files the row names now that writing ``fields`` will replace or clear: they
        go once the write has been made (by this attempt) and committed."""
        names = [name for name in fields if isinstance(self.model._meta.get_field(name), models.FileField)]
        if not names:
            return []
        held = self.model.objects.filter(pk=self.pk).values_list(*names).first() or ()
        found = [(self.model._meta.get_field(name), old, fields[name]) for name, old in zip(names, held, strict=True)]
        return [(f, old) for f, old, new in found if old and old != str(new)]  # type: ignore[misc]


def _files_delete(files: list[tuple[models.FileField, str]]) -> None:
    for file_field, name in files:
        files_delete_on_commit(file_field.storage, [name])


def job_claim(model: type[Job], pk: int) -> JobRun | None:
    """Claim a queued row for this worker: one conditional UPDATE that counts the attempt, so a
    second delivery of the same task finds nothing to claim."""
    now = timezone.now()
    claimed = model.objects.filter(pk=pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, attempt=F("attempt") + 1, started_at=now, heartbeat_at=now, progress=0, error=""
    )
    if not claimed:
        return None
    attempt = model.objects.filter(pk=pk).values_list("attempt", flat=True).first()
    return JobRun(model, pk, attempt) if attempt is not None else None


def job_execute(
    model: type[J], pk: int, handler: Callable[[J, JobRun], dict[str, Any] | None], *, heartbeat: bool | None = None
) -> str:
    """Claim the row, run ``handler(row, run)`` with a heartbeat, and record how it ended.
    Returns "ready", "failed", "requeued", "abandoned" or "not queued" (for the worker's log)."""
    run = patiently(lambda: job_claim(model, pk), patience=30)
    if run is None:
        return "not queued"
    if heartbeat is None:
        heartbeat = not celery_app.conf.task_always_eager
    with _heartbeat(run, enabled=heartbeat):
        try:
            row = model.objects.get(pk=pk)
            fields = handler(row, run) or {}
            if not run.finished:
                run.check()
        except JobAbandoned as exc:
            logger.info("%s", exc)
            return "abandoned"
        except JobFailed as exc:
            # Not logged: a reason may quote the text it refused (the publication check's findings).
            reason = exc.reason
            patiently(lambda: _fail(run, reason))
            return "failed"
        except DATABASE_LOST as exc:
            logger.warning("%s %s lost its database connection (%s); queued again", model.__name__, pk, exc)
            return patiently(lambda: _requeue(run))
        except Exception as exc:
            logger.exception("%s %s failed", model.__name__, pk)
            reason = failure_reason(exc)
            patiently(lambda: _fail(run, reason))
            return "failed"
    if run.finished:
        return "ready"
    return "ready" if patiently(lambda: run.finish(**fields), patience=FINAL_WRITE_PATIENCE) else "abandoned"


def failure_reason(exc: BaseException) -> str:
    """An unexpected error, in words for the person who asked (the details are in the worker's log)."""
    if isinstance(exc, SoftTimeLimitExceeded):
        minutes = round((celery_app.conf.task_soft_time_limit or 0) / 60)
        return (
            f"It took longer than {minutes} minutes and was stopped. Try again; if it stops again, "
            "tell your administrator."
        )
    return (
        f"Something went wrong while doing this ({type(exc).__name__}). Try again; if it fails "
        "again, tell your administrator, who can find the details in the worker's log."
    )


def _fail(run: JobRun, reason: str) -> int:
    return run.mine().update(status=Job.Status.FAILED, error=reason[:ERROR_CHARACTERS], finished_at=timezone.now())


def _requeue(run: JobRun) -> str:
    """Put this attempt's row back in the queue (or fail it after too many interruptions) and send it."""
    row = run.mine().values("interruptions").first()
    if row is None:
        return "abandoned"
    if row["interruptions"] + 1 >= MAX_INTERRUPTIONS:
        _fail(run, interrupted_reason(row["interruptions"] + 1))
        return "failed"
    if run.mine().update(
        status=Job.Status.QUEUED, interruptions=F("interruptions") + 1, dispatched_at=None, heartbeat_at=None
    ):
        job_dispatch(run.model, run.pk)
        return "requeued"
    return "abandoned"


def interrupted_reason(times: int) -> str:
    return (
        f"The work was interrupted {times} times (the worker or the database stopped) and was not "
        "finished. Try again; if it stops again, tell your administrator."
    )


def patiently(write: Callable[[], T], *, patience: float = 60) -> T:
    """Run a database write, reconnecting and trying again while the database is unreachable,
    for up to ``patience`` seconds. A dead connection is closed before the next try: Django
    would otherwise write through it and fail again."""
    deadline = time.monotonic() + patience
    pause = 0.5
    while True:
        try:
            return write()
        except DATABASE_LOST as exc:
            if connection.in_atomic_block or time.monotonic() + pause > deadline:
                raise
            logger.warning("Database unreachable (%s); trying again in %.1fs", exc, pause)
            _reconnect()
            time.sleep(pause)
            pause = min(pause * 2, 8)


def _reconnect() -> None:
    try:
        connection.close()
    except DATABASE_LOST:
        pass  # closing a dead connection may itself fail: it is gone either way


@contextmanager
def _heartbeat(run: JobRun, *, enabled: bool) -> Iterator[None]:
    """Write the row's heartbeat every HEARTBEAT_EVERY seconds from a thread while the work runs.
    The thread has its own database connection; it dies with the worker, which is the point."""
    if not enabled:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_EVERY):
                try:
                    if run.finished:
                        return
                    if not run.mine().update(heartbeat_at=timezone.now()) and not run.finished:
                        run.lost.set()  # cancelled, retried or taken over: the handler stops at its next check
                        return
                except DATABASE_LOST as exc:
                    logger.warning("Heartbeat of %s %s failed (%s)", run.model.__name__, run.pk, exc)
                    _reconnect()
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"heartbeat-{run.model.__name__}-{run.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=HEARTBEAT_EVERY + 5)
