"""Faults injected while background work is in flight, with real processes: a Celery worker
(prefork) over a Redis server of the test's own, against the test database (PostgreSQL).

For each kind of job (an integrated chronology build, a document render, a chronology export, an
uploaded chronology's check, a board export), asked for through its page as a person would:

- the whole worker is killed (SIGKILL, main process and pool) mid-job;
- Redis is stopped while the request queues the work;
- the database connections are terminated mid-job, and at the job's final write;

and the job still ends ready, within two minutes of the fault ending, with nothing half-written,
one row and one result. Emails: one asked for while Redis is down, one whose worker loses the
database as it marks the email sent; each arrives once.

A job is held mid-job, or at its final write, by a second database session: it locks a table
the job reads (and the request does not), or holds an advisory lock that a test-only trigger on
the job's write waits for. The worker is then exactly where the fault should find it, whatever
the machine's speed; the triggers are dropped after each test. An upload's check is not held:
its file is long enough that it is caught at its work, its database connection idle.

Recovery is by the sweeper (casereview.job_sweep.jobs_sweep, every minute from beat), called here
with the clock moved on past ``STUCK_AFTER`` where it would otherwise wait two minutes."""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu import pools as kombu_pools
from openpyxl import load_workbook

from actions.models import Action, BoardPlanExport
from casereview import job_sweep, jobs
from casereview.celery import app as celery_app
from casereview.storage import file_bytes
from chronology.integrated import services as integrated_services
from chronology.models import (
    ChronologyEntry,
    ChronologyExport,
    ChronologyUpload,
    IntegratedChronology,
    IntegratedEntry,
)
from chronology.services import upload_result
from reports.models import DocumentRender
from reviews import notifications, services
from reviews.models import AuditEntry, Notification
from tests.actions.conftest import make_plan
from tests.conftest import World
from tests.factories import EntryFactory, UserFactory
from tests.reports.render_fixtures import make_document
from tests.test_worker import WORKER_TESTS, _database_url, sent_emails

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    *WORKER_TESTS,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server, to stop and start a broker"),
    pytest.mark.django_db(transaction=True),
]

# What a person waits for at most, after a fault ends, before the job says it is ready or failed.
RECOVERY = 120  # seconds
# Any worker of this module takes longer than this to start only if something is wrong.
STARTUP = 120  # seconds
# The advisory lock the test-only triggers wait for.
WAIT_KEY = 14_014


# --- the broker: a Redis server of the test's own, to stop and start ---


class Broker:
    """``redis-server`` on a free port, with no persistence: stopped and started again, it is
    empty, as a broker restarted after a crash is."""

    def __init__(self, log: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(command + ["--daemonize", "no"], stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 30
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


# --- workers ---


class Worker:
    """``celery worker`` (prefork, one pool process) with a job queue and an email queue of its
    own, in a process group of its own so that it can be killed whole."""

    def __init__(self, *, broker: Broker, outbox: Path, logs: Path):
        name = uuid.uuid4().hex[:10]
        self.queue, self.email_queue = f"faults-{name}", f"faults-email-{name}"
        self.log = logs / f"worker-{name}.log"
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": broker.url,
            "CELERY_QUEUE": self.queue,
            "CELERY_EMAIL_QUEUE": self.email_queue,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(outbox),
        }
        command = [sys.executable, "-m", "celery", "-A", "casereview", "worker", "--pool=prefork", "--concurrency=1"]
        command += ["--queues", f"{self.queue},{self.email_queue}", "--hostname", f"faults-{name}@%h"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + STARTUP
        while " ready." not in self.log.read_text():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker did not start; its log:\n{self.log.read_text()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL to the main process and its pool at once: a node lost, an out-of-memory kill,
        a deploy that did not wait."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def _send_to(worker: Worker) -> None:
    """Send this process's tasks to the worker's queues."""
    celery_app.conf.task_default_queue = worker.queue
    celery_app.conf.task_routes = {"reviews.tasks.notification_send": {"queue": worker.email_queue}}
    # Its queues, router and producer pool are made again from the configuration when next used.
    celery_app.__dict__.pop("amqp", None)


def _use_broker(url: str) -> None:
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
        celery_app._pool = None
    # kombu keeps a producer pool per broker address for the whole process; one made before this
    # switch would hand out connections from the pool just closed ("Acquire on closed pool").
    kombu_pools.reset()
    celery_app.conf.broker_url = url
    celery_app.__dict__.pop("amqp", None)


class Workers:
    """The worker taking this module's tasks, and a spare already starting: a killed worker is
    followed at once by the next, as an orchestrator replaces a lost one."""

    def __init__(self, *, broker: Broker, outbox: Path, logs: Path):
        self.options = {"broker": broker, "outbox": outbox, "logs": logs}
        self.outbox = outbox
        self.all: list[Worker] = []
        self.current = self._start()
        self.spare = self._start()
        _send_to(self.current)

    def _start(self) -> Worker:
        worker = Worker(**self.options)
        self.all.append(worker)
        return worker

    def kill_current(self) -> None:
        self.current.kill()
        self.current, self.spare = self.spare, self._start()
        _send_to(self.current)

    def logs(self) -> str:
        return "\n".join(f"--- {worker.log.name}\n{worker.log.read_text()[-6000:]}" for worker in self.all)

    def stop(self) -> None:
        for worker in self.all:
            worker.stop()


@pytest.fixture(scope="module")
def broker(tmp_path_factory) -> Iterator[Broker]:
    broker = Broker(tmp_path_factory.mktemp("broker") / "redis.log")
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture(scope="module")
def workers(django_db_setup, broker, tmp_path_factory) -> Iterator[Workers]:
    conf = celery_app.conf
    before = (conf.broker_url, conf.task_default_queue, conf.task_routes)
    _use_broker(broker.url)
    outbox = tmp_path_factory.mktemp("outbox")
    group = Workers(broker=broker, outbox=outbox, logs=tmp_path_factory.mktemp("workers"))
    try:
        yield group
    finally:
        group.stop()
        _use_broker(before[0])
        conf.task_default_queue, conf.task_routes = before[1], before[2]
        celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def live(workers) -> Iterator[Workers]:
    """Tasks go to the broker, not run in-process (tests/conftest.py runs them in-process)."""
    workers.current.wait_ready()
    celery_app.conf.task_always_eager = False
    yield workers
    celery_app.conf.task_always_eager = True


def _wait_for(
    condition: Callable[[], bool], *, timeout: float, workers: Workers, what: str, every: float = 0.1
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout}s. The workers' logs:\n{workers.logs()}")
        time.sleep(every)


# --- holding a job where the fault should find it ---


def _session() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None, host=db["HOST"] or None,
        port=db["PORT"] or None,
    )  # fmt: skip


@dataclass(frozen=True)
class Pause:
    """Where a job's worker is made to wait: at a read of a table (locked by another session),
    or at a write that a test-only trigger holds until an advisory lock is free."""

    table: str
    when: str = ""  # the trigger's condition; none: the table is locked instead
    event: str = "UPDATE"


class Hold:
    """A second database session, holding the lock the worker will wait for until released."""

    def __init__(self, pause: Pause):
        self.session: psycopg.Connection | None = _session()
        if pause.when:
            self.session.execute("SELECT pg_advisory_xact_lock(%s)", [WAIT_KEY])
        else:
            self.session.execute(f'LOCK TABLE "{pause.table}" IN ACCESS EXCLUSIVE MODE')
        self.pid = self.session.info.backend_pid

    def waiting(self) -> int:
        """How many sessions (a worker's) wait for this hold."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [self.pid])
            return cursor.fetchone()[0]

    def release(self) -> None:
        if self.session is not None:
            self.session.rollback()
            self.session.close()
            self.session = None


@contextmanager
def paused(pause: Pause) -> Iterator[Hold]:
    if pause.when:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE OR REPLACE FUNCTION faults_wait() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN PERFORM pg_advisory_xact_lock({WAIT_KEY}); RETURN NEW; END $$"
            )
            cursor.execute(
                f'CREATE TRIGGER faults_wait BEFORE {pause.event} ON "{pause.table}" FOR EACH ROW '
                f"WHEN ({pause.when}) EXECUTE FUNCTION faults_wait()"
            )
    hold = Hold(pause)
    try:
        yield hold
    finally:
        hold.release()
        if pause.when:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP TRIGGER IF EXISTS faults_wait ON "{pause.table}"')
                cursor.execute("DROP FUNCTION IF EXISTS faults_wait()")


def _terminate_connections(*, keep: int) -> int:
    """What a database restart or failover does to every session but this test's own (and the
    hold's, released just after): ``pg_terminate_backend``. Returns how many were cut."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
            [keep],
        )
        return cursor.fetchone()[0]


def _final_write(model: type[jobs.Job]) -> Pause:
    """The UPDATE that marks the job ready with its result."""
    return Pause(model._meta.db_table, "OLD.status = 'running' AND NEW.status = 'ready'")


# --- the kinds of job ---


@dataclass
class Case:
    """One kind's world: who asks, where, and what the finished job must hold."""

    world: World
    client: Client
    entries: int  # the agency entries a build takes
    extra: Any = None  # the version, document or plan the request is about


def _case(world: World, client: Client) -> Case:
    # Agency B's chronology (submitted) gets entries enough to order, link and export.
    for day in range(1, 13):
        EntryFactory(imr=world.imr_b, date_start=date(2021, 5, day), date_end=date(2021, 5, day))
    return Case(world=world, client=client, entries=ChronologyEntry.objects.filter(imr=world.imr_b).count())


def _built_version(case: Case) -> IntegratedChronology:
    """A ready version, built in this process before any fault."""
    celery_app.conf.task_always_eager = True
    try:
        world = case.world
        chronology = integrated_services.integrated_request(
            actor=world.chair, review=world.review, include_submitted=True
        )
    finally:
        celery_app.conf.task_always_eager = False
    chronology.refresh_from_db()
    assert chronology.status == IntegratedChronology.Status.READY, chronology.error
    return chronology


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[jobs.Job]
    audit_action: str  # written with the request
    # Where its worker is held mid-job; none: its own work is long enough (its connection idle).
    mid_job: Pause | None
    prepare: Callable[[Case], None]
    ask: Callable[[Case], Any]  # the request through the page: the response
    rows: Callable[[Case], Any]  # the rows of this kind the request may have made
    check: Callable[[Case, Any], None]  # the ready row holds its result, once

    def row(self, case: Case):
        rows = list(self.rows(case))
        assert len(rows) == 1, rows  # no duplicate
        return rows[0]


def _prepare_build(case: Case) -> None:
    case.client.force_login(case.world.chair)


def _ask_build(case: Case):
    url = reverse("chronology:build", args=[case.world.review.pk])
    return case.client.post(url, {"include_submitted": "on"})


def _check_build(case: Case, row: IntegratedChronology) -> None:
    # The version's entries once each, even after an attempt that wrote them was interrupted.
    assert row.entry_count == case.entries
    assert IntegratedEntry.objects.filter(chronology=row).count() == case.entries
    assert AuditEntry.objects.filter(action="chronology.built", object_id=str(row.pk)).count() == 1


def _prepare_render(case: Case) -> None:
    _built_version(case)  # the overview's appendix: its entries are read mid-render
    case.extra = make_document(case.world)
    case.client.force_login(case.world.chair)


def _ask_render(case: Case):
    url = reverse("reports:render_request", args=[case.world.review.pk, case.extra.pk])
    return case.client.post(url, {"format": "pdf", "version": "panel"})


def _check_render(case: Case, row: DocumentRender) -> None:
    data = file_bytes(row.file)
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert row.page_count and row.page_count >= 2


def _prepare_export(case: Case) -> None:
    case.extra = _built_version(case)
    case.client.force_login(case.world.chair)


def _ask_export(case: Case):
    url = reverse("chronology:export", args=[case.world.review.pk, case.extra.version])
    return case.client.post(url, {"fmt": "xlsx", "names": "real"})


def _check_export(case: Case, row: ChronologyExport) -> None:
    sheet = load_workbook(io.BytesIO(file_bytes(row.file)), read_only=True).worksheets[0]
    cells = {str(value) for line in sheet.iter_rows(values_only=True) for value in line if value is not None}
    details = set(ChronologyEntry.objects.filter(imr=case.world.imr_b).values_list("details", flat=True))
    assert details <= cells


# An agency's chronology file, long enough (about two seconds' checking) to be killed mid-check.
UPLOAD_ROWS = 12_000
UPLOAD = (
    "Date,Time,Person(s),Source,Event,Details,Significant\n"
    + "".join(
        f"{n % 28 + 1:02d}/05/2012,11:00,Jade Marsh,PPU log,Home visit,Visit {n} to the family home.,N\n"
        for n in range(UPLOAD_ROWS)
    )
).encode()


def _prepare_upload(case: Case) -> None:
    case.client.force_login(case.world.author_a)


def _ask_upload(case: Case):
    url = reverse("chronology:upload", args=[case.world.review.pk, case.world.imr_a.pk])
    return case.client.post(url, {"file": SimpleUploadedFile("chronology.csv", UPLOAD, "text/csv"), "sheet": ""})


def _check_upload(case: Case, row: ChronologyUpload) -> None:
    assert (row.row_count, row.error_count, file_bytes(row.upload_file)) == (UPLOAD_ROWS, 0, b"")  # the file read once
    assert len(upload_result(row).rows) == UPLOAD_ROWS


def _prepare_board(case: Case) -> None:
    make_plan(case.world)
    case.client.force_login(case.world.board_admin)


def _ask_board(case: Case):
    url = reverse("actions:board_export", args=[case.world.review.partnership_id])
    return case.client.post(url, {"format": "xlsx"})


def _check_board(case: Case, row: BoardPlanExport) -> None:
    lines = list(load_workbook(io.BytesIO(file_bytes(row.file))).active.iter_rows(values_only=True))
    assert lines[0][0] == "Review"
    assert row.action_count == 2 and {line[0] for line in lines[1:]} == {"NDHR-01"}


KINDS = [
    Kind(
        name="build",
        model=IntegratedChronology,
        audit_action="chronology.build_requested",
        # Its second transaction, after the first has written the version's entries: the audit
        # entry "built", which commits with the links, the figures and the ready status.
        mid_job=Pause(AuditEntry._meta.db_table, "NEW.action = 'chronology.built'", event="INSERT"),
        prepare=_prepare_build,
        ask=_ask_build,
        rows=lambda case: IntegratedChronology.objects.filter(review=case.world.review),
        check=_check_build,
    ),
    Kind(
        name="render",
        model=DocumentRender,
        audit_action="document.render_requested",
        mid_job=Pause(IntegratedEntry._meta.db_table),  # the appendix, read after the text is composed
        prepare=_prepare_render,
        ask=_ask_render,
        rows=lambda case: DocumentRender.objects.filter(document=case.extra),
        check=_check_render,
    ),
    Kind(
        name="export",
        model=ChronologyExport,
        audit_action="chronology.exported",
        mid_job=Pause(IntegratedEntry._meta.db_table),  # the version's entries
        prepare=_prepare_export,
        ask=_ask_export,
        rows=lambda case: ChronologyExport.objects.filter(chronology=case.extra),
        check=_check_export,
    ),
    Kind(
        name="upload",
        model=ChronologyUpload,
        audit_action="chronology.uploaded",
        mid_job=None,  # checking the file
        prepare=_prepare_upload,
        ask=_ask_upload,
        rows=lambda case: ChronologyUpload.objects.filter(imr=case.world.imr_a),
        check=_check_upload,
    ),
    Kind(
        name="board",
        model=BoardPlanExport,
        audit_action="action_plan.board_export_requested",
        mid_job=Pause(Action._meta.db_table),  # the actions of every review
        prepare=_prepare_board,
        ask=_ask_board,
        rows=lambda case: BoardPlanExport.objects.filter(partnership=case.world.review.partnership),
        check=_check_board,
    ),
]


@pytest.fixture(scope="module", params=KINDS, ids=[kind.name for kind in KINDS])
def kind(request) -> Kind:
    # Module-scoped, so pytest runs every fault for one kind before the next kind: the spare
    # worker has started by the time the next kill needs it.
    return request.param


@pytest.fixture
def case(kind: Kind, world: World, client: Client, live: Workers) -> Iterator[Case]:
    case = _case(world, client)
    kind.prepare(case)
    yield case
    # The entries' positions come from a sequence shared by the session: leave it as found
    # (as tests/actions/conftest.py does), for the chronology page tests that count on it.
    EntryFactory.reset_sequence(0)


def _asked(kind: Kind, case: Case):
    response = kind.ask(case)
    assert response.status_code == 302, response.content.decode()[:2000]  # never a 500
    row = kind.row(case)
    assert AuditEntry.objects.filter(action=kind.audit_action).count() == 1
    return row


def _assert_nothing_written(kind: Kind, row) -> None:
    row.refresh_from_db()
    assert row.status == jobs.Job.Status.RUNNING
    if kind.model is IntegratedChronology:
        # Its entries may be written, but the version is not ready, so never shown; the retry
        # clears them before writing them again (checked at the end).
        assert not AuditEntry.objects.filter(action="chronology.built", object_id=str(row.pk)).exists()
    else:
        assert file_bytes(row.parse_file if kind.model is ChronologyUpload else row.file) == b""
    if kind.model is ChronologyUpload:
        assert file_bytes(row.upload_file) == UPLOAD  # the file is kept for the attempt that reads it next


@contextmanager
def _mid_job(kind: Kind, case: Case, workers: Workers) -> Iterator[tuple[Any, Hold | None]]:
    """Ask for the job and give it back once its worker is mid-job (held there until the end of
    the block, if the kind is held)."""
    if kind.mid_job is None:
        row = _asked(kind, case)
        # Claimed, and its worker has read the whole row (a Job field the claim does not read) and
        # gone quiet: the handler is at its own work, without the database.
        last_read = f'SELECT %"{kind.model._meta.db_table}"."requested_by_id"%'

        def working() -> bool:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND state = 'idle' AND query LIKE %s",
                    [last_read],
                )
                quiet = cursor.fetchone()[0] > 0
            return quiet and kind.model.objects.filter(pk=row.pk, status=jobs.Job.Status.RUNNING).exists()

        _wait_for(working, timeout=RECOVERY, workers=workers, what="the job at its work", every=0.02)
        yield row, None
        return
    with paused(kind.mid_job) as hold:
        row = _asked(kind, case)
        _wait_for(lambda: hold.waiting() > 0, timeout=RECOVERY, workers=workers, what="the job reaching mid-job")
        yield row, hold


def _wait_ready(kind: Kind, case: Case, row, *, workers: Workers, what: str) -> Any:
    def ended() -> bool:
        row.refresh_from_db()
        return row.status in (jobs.Job.Status.READY, jobs.Job.Status.FAILED)

    _wait_for(ended, timeout=RECOVERY, workers=workers, what=what)
    assert row.status == jobs.Job.Status.READY, row.error
    row = kind.row(case)
    kind.check(case, row)
    return row


# --- the faults ---


# Kinds of job whose faults are tested in process only (tests/test_jobs.py), and why not here.
IN_PROCESS_ONLY = {
    # A pack waits for the renders it asks for, which need a worker of their own: its kill and
    # restart cases need a pool this module's two workers do not give it.
    "reports.submissionpack",
}


def test_every_kind_of_job_has_its_faults_tested():
    models = set(jobs.job_models())
    assert {kind.model for kind in KINDS} == {m for m in models if m._meta.label_lower not in IN_PROCESS_ONLY}
    assert IN_PROCESS_ONLY <= {m._meta.label_lower for m in models}


def test_a_job_whose_whole_worker_is_killed_mid_job_is_done_again_by_the_next_worker(kind: Kind, case: Case, live):
    with _mid_job(kind, case, live) as (row, _hold):
        live.kill_current()
        _assert_nothing_written(kind, row)
    assert row.attempt == 1

    # The sweeper, two minutes on (a heartbeat every 15 s would have kept a live job fresh).
    swept = job_sweep.jobs_sweep(now=timezone.now() + jobs.STUCK_AFTER + timedelta(seconds=1))
    assert vars(swept[kind.model._meta.label_lower]) == {"requeued": 1, "failed": 0, "sent": 1}

    row = _wait_ready(kind, case, row, workers=live, what="the job done by the next worker")
    assert (row.attempt, row.interruptions) == (2, 1)


def test_a_job_asked_for_while_redis_is_down_is_sent_by_the_sweeper_when_it_is_back(
    kind: Kind, case: Case, live, broker: Broker
):
    broker.stop()
    try:
        row = _asked(kind, case)
        row.refresh_from_db()
        assert (row.status, row.dispatched_at) == (jobs.Job.Status.QUEUED, None)  # recorded as not yet sent
    finally:
        broker.start()

    # Beat's sweep, every minute; the first after the broker is back sends the task.
    def sent() -> bool:
        job_sweep.jobs_sweep()
        row.refresh_from_db()
        return row.dispatched_at is not None

    _wait_for(sent, timeout=RECOVERY, workers=live, what="the sweeper sending the task", every=0.5)
    row = _wait_ready(kind, case, row, workers=live, what="the job done after Redis came back")
    assert (row.attempt, row.interruptions) == (1, 0)


def test_a_job_whose_database_connections_are_cut_mid_job_is_done(kind: Kind, case: Case, live):
    with _mid_job(kind, case, live) as (row, hold):
        assert _terminate_connections(keep=hold.pid if hold else 0) >= 1
    row = _wait_ready(kind, case, row, workers=live, what="the job done after the database came back")
    if kind.mid_job is None:
        # Cut while it worked without the database: its final write reconnects; the work is kept.
        assert (row.attempt, row.interruptions) == (1, 0)
    else:
        # Cut in a query: the attempt is given up and the job queued again by its worker, and done.
        assert (row.attempt, row.interruptions) == (2, 1)


def test_a_job_whose_database_connections_are_cut_at_its_final_write_keeps_its_result(kind: Kind, case: Case, live):
    with paused(_final_write(kind.model)) as hold:
        row = _asked(kind, case)
        _wait_for(lambda: hold.waiting() > 0, timeout=RECOVERY, workers=live, what="the job reaching its final write")
        _assert_nothing_written(kind, row)
        assert _terminate_connections(keep=hold.pid) >= 1
    row = _wait_ready(kind, case, row, workers=live, what="the job done after the database came back")
    if kind.model is IntegratedChronology:
        # Its final write commits with its links, figures and audit entry: that transaction is
        # lost with the connection, so the build is queued again and done again, once.
        assert (row.attempt, row.interruptions) == (2, 1)
    else:
        # The finished file is written through a new connection: not made again.
        assert (row.attempt, row.interruptions) == (1, 0)


# --- emails ---


def _emails_to(outbox: Path, address: str) -> list[str]:
    return [m for m in sent_emails(outbox) if f"To: {address}" in m]


def _no_second_email(notification: Notification, outbox: Path, address: str) -> None:
    """The sweeper, long after (past the send lease and the resend pause), finds nothing to send."""
    later = timezone.now() + notifications.SEND_LEASE + notifications.RESEND_AFTER + timedelta(seconds=1)
    assert notifications.notifications_sweep(now=later) == 0
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert len(_emails_to(outbox, address)) == 1


def test_an_email_asked_for_while_redis_is_down_is_sent_once_when_it_is_back(world: World, live, broker: Broker):
    newcomer = UserFactory(email=f"newcomer-{uuid.uuid4().hex[:8]}@example.org")
    broker.stop()
    try:
        services.membership_add(actor=world.chair, review=world.review, user=newcomer, role="panel", notify=True)
    finally:
        broker.start()
    notification = Notification.objects.get(recipient=newcomer)
    assert (notification.dispatched_at, notification.sent_at) == (None, None)
    assert AuditEntry.objects.filter(action="membership.added", detail__user=newcomer.username).exists()

    def sent() -> bool:
        notifications.notifications_sweep()
        notification.refresh_from_db()
        return notification.sent_at is not None

    _wait_for(sent, timeout=RECOVERY, workers=live, what="the email sent after Redis came back", every=0.5)
    _no_second_email(notification, live.outbox, newcomer.email)


def test_an_email_whose_worker_loses_the_database_as_it_marks_it_sent_is_sent_once(world: World, live):
    newcomer = UserFactory(email=f"newcomer-{uuid.uuid4().hex[:8]}@example.org")
    pause = Pause(Notification._meta.db_table, "OLD.sent_at IS NULL AND NEW.sent_at IS NOT NULL")
    with paused(pause) as hold:
        services.membership_add(actor=world.chair, review=world.review, user=newcomer, role="panel", notify=True)
        _wait_for(lambda: hold.waiting() > 0, timeout=RECOVERY, workers=live, what="the email being marked sent")
        assert len(_emails_to(live.outbox, newcomer.email)) == 1  # the mail server has it
        assert _terminate_connections(keep=hold.pid) >= 1
    notification = Notification.objects.get(recipient=newcomer)
    _wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, sent_at__isnull=False).exists(),
        timeout=RECOVERY, workers=live, what="the email marked sent",
    )  # fmt: skip
    _no_second_email(notification, live.outbox, newcomer.email)
