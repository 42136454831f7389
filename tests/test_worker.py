"""Tasks through a real Celery worker process, over Redis, against the test database.

Runs when REDIS_URL is set and the database is one a second process can reach
(PostgreSQL in CI); `make test` on the embedded default skips it and says why."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from casereview.celery import app as celery_app
from casereview.storage import file_bytes
from reviews import services
from reviews.models import Notification
from reviews.tasks import notification_send
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]

# Every test with a real worker process: the other worker test modules take these too.
WORKER_TESTS = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL for a broker"),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="needs a database a worker process can share (PostgreSQL)",
    ),
]
pytestmark = WORKER_TESTS


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@contextmanager
def routed_to(queue: str):
    """This process sends tasks to the test's own queues, as the worker's settings route them."""
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.task_default_queue, conf.task_routes)
    conf.task_always_eager = False
    conf.task_default_queue = queue
    conf.task_routes = {"reviews.tasks.notification_send": {"queue": f"{queue}-email"}}
    try:
        yield
    finally:
        conf.task_always_eager, conf.task_default_queue, conf.task_routes = saved


def worker_env(queue: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "CELERY_EMAIL_QUEUE": f"{queue}-email",
        **extra,
    }


@pytest.fixture
def worker(tmp_path):
    """A worker consuming queues of its own (jobs and emails), so no other worker on the machine
    takes its tasks."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    outbox = tmp_path / "outbox"
    log = (tmp_path / "worker.log").open("w")
    env = worker_env(
        queue,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(outbox),
    )
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "casereview",
            "worker",
            "--pool=solo",
            "--queues",
            f"{queue},{queue}-email",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        with routed_to(queue):
            yield queue, outbox, tmp_path / "worker.log"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def sent_emails(outbox: Path) -> list[str]:
    """Django's file backend names a file by the second and the connection's id, so two emails
    sent in one second can share a file: count the messages, not the files."""
    if not outbox.exists():
        return []
    separator = "-" * 79 + "\n"
    return [m for path in outbox.iterdir() for m in path.read_text().split(separator) if m.strip()]


def _wait_for(condition, *, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"the worker did not finish in {timeout}s; its log:\n{log.read_text()}")


@pytest.mark.django_db(transaction=True)
def test_emails_are_sent_once_by_a_real_worker_on_their_own_queue(world, worker):
    queue, outbox, log = worker
    services.membership_add(actor=world.chair, review=world.review, user=world.outsider, role="panel")
    services.membership_add(actor=world.chair, review=world.review, user=UserFactory(), role="panel")
    first = Notification.objects.get(recipient=world.outsider)
    # The same task again (a redelivery): the claim makes it send nothing.
    notification_send.apply_async(args=[first.pk])

    def done() -> bool:
        return not Notification.objects.filter(sent_at__isnull=True).exists() and len(sent_emails(outbox)) >= 2

    _wait_for(done, timeout=90, log=log)
    time.sleep(1)  # the redelivery, if it were to send, would have by now
    messages = sent_emails(outbox)
    assert len(messages) == 2, messages
    assert sum(world.outsider.email in message for message in messages) == 1
    assert all("NDHR-01" in message for message in messages)


# --- rendering ---


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


@pytest.fixture
def prefork_worker(tmp_path):
    """A worker with one pool process: killing that process mid-task is a worker lost mid-render."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = (tmp_path / "worker.log").open("w")
    command = [sys.executable, "-m", "celery", "-A", "casereview", "worker", "--pool=prefork", "--concurrency=1"]
    command += ["--queues", queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
    process = subprocess.Popen(command, cwd=ROOT, env=worker_env(queue), stdout=log, stderr=subprocess.STDOUT)
    try:
        with routed_to(queue):
            yield process, queue, tmp_path / "worker.log"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_leaves_no_file_and_the_sweeper_has_it_made_again(world, prefork_worker):
    from casereview import job_sweep, jobs
    from reports import render_service
    from reports.models import DocumentRender
    from tests.reports.render_fixtures import make_document, paragraphs

    process, queue, log = prefork_worker
    # Long enough (about 40 pages) that the render is still running when it is killed.
    sections = [(f"Section {n}", paragraphs(10)) for n in range(1, 13)]
    document = make_document(world, sections=sections)
    row = render_service.render_request(actor=world.chair, document=document, fmt="pdf", publication=False)

    _wait_for(lambda: DocumentRender.objects.get(pk=row.pk).status == "running", timeout=90, log=log)
    children = _children(process.pid)
    assert len(children) == 1, children
    os.kill(children[0], signal.SIGKILL)
    row.refresh_from_db()
    assert row.status == DocumentRender.Status.RUNNING and file_bytes(row.file) == b""  # nothing half-written
    # Its heartbeat has stopped: two minutes on, the sweeper queues it again and sends it.
    swept = job_sweep.jobs_sweep(now=timezone.now() + jobs.STUCK_AFTER + timedelta(seconds=1))
    assert swept["reports.documentrender"].requeued == 1

    _wait_for(lambda: DocumentRender.objects.get(pk=row.pk).status in ("ready", "failed"), timeout=180, log=log)
    row.refresh_from_db()
    assert row.status == DocumentRender.Status.READY, row.error
    assert (row.attempt, row.interruptions) == (2, 1)
    assert file_bytes(row.file).startswith(b"%PDF") and file_bytes(row.file).rstrip().endswith(b"%%EOF")
    assert row.page_count and row.page_count > 10
    assert DocumentRender.objects.filter(document=document).count() == 1
