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
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from casereview.celery import app as celery_app
from reviews import services
from reviews.models import ReviewMembership
from reviews.tasks import membership_notify
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL for a broker"),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="needs a database a worker process can share (PostgreSQL)",
    ),
]


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """A worker consuming a queue of its own, so no other worker on the machine takes its tasks."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    outbox = tmp_path / "outbox"
    log = (tmp_path / "worker.log").open("w")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": queue,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
    }
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
            queue,
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
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield queue, outbox, tmp_path / "worker.log"
    finally:
        celery_app.conf.task_always_eager = eager
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _wait_for(condition, *, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"the worker did not finish in {timeout}s; its log:\n{log.read_text()}")


@pytest.mark.django_db(transaction=True)
def test_membership_email_is_sent_once_by_a_real_worker(world, worker):
    queue, outbox, log = worker
    first = services.membership_add(
        actor=world.chair, review=world.review, user=world.outsider, role="panel", notify=False
    )
    second = services.membership_add(
        actor=world.chair, review=world.review, user=UserFactory(), role="panel", notify=False
    )
    membership_notify.apply_async(args=[first.pk], queue=queue)
    # The same task again (a redelivery), then the second member's: the worker runs them in order.
    membership_notify.apply_async(args=[first.pk], queue=queue)
    membership_notify.apply_async(args=[second.pk], queue=queue)

    # Django's file backend names a file by the second and the connection's id, so two emails
    # sent in one second can share a file: count the messages, not the files.
    separator = "-" * 79 + "\n"

    def sent() -> list[str]:
        return [m for path in outbox.iterdir() for m in path.read_text().split(separator) if m.strip()]

    def done() -> bool:
        # A row is marked before its email is written (the claim): wait for the second email
        # too. The worker runs the three in order, so the redelivery has run by then.
        claimed = not ReviewMembership.objects.filter(pk__in=[first.pk, second.pk], notified_at__isnull=True).exists()
        return claimed and len(sent()) >= 2

    _wait_for(done, timeout=90, log=log)
    messages = sent()
    assert len(messages) == 2, messages
    assert sum(world.outsider.email in message for message in messages) == 1
    assert all("NDHR-01" in message for message in messages)


# --- rendering ---


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


@pytest.fixture
def prefork_worker(tmp_path):
    """A worker with one pool process: killing that process mid-task is a worker lost mid-render,
    and the main process stays to hand the message back (tasks are acknowledged late)."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = (tmp_path / "worker.log").open("w")
    env = {**os.environ, "DATABASE_URL": _database_url(), "REDIS_URL": settings.REDIS_URL, "CELERY_QUEUE": queue}
    command = [sys.executable, "-m", "celery", "-A", "casereview", "worker", "--pool=prefork", "--concurrency=1"]
    command += ["--queues", queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield process, queue, tmp_path / "worker.log"
    finally:
        celery_app.conf.task_always_eager = eager
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_leaves_no_file_and_the_render_completes_when_redelivered(world, prefork_worker):
    from reports.models import DocumentRender
    from reports.tasks import render_document_task
    from tests.reports.render_fixtures import make_document, paragraphs

    process, queue, log = prefork_worker
    # Long enough (about 40 pages) that the render is still running when it is killed.
    sections = [(f"Section {n}", paragraphs(10)) for n in range(1, 13)]
    document = make_document(world, sections=sections)
    row = DocumentRender.objects.create(document=document, format="pdf", fingerprint="f")
    render_document_task.apply_async(args=[row.pk], queue=queue)

    _wait_for(lambda: DocumentRender.objects.get(pk=row.pk).status == "running", timeout=90, log=log)
    children = _children(process.pid)
    assert len(children) == 1, children
    os.kill(children[0], signal.SIGKILL)
    row.refresh_from_db()
    assert row.status == DocumentRender.Status.RUNNING and bytes(row.data) == b""  # nothing half-written

    _wait_for(lambda: DocumentRender.objects.get(pk=row.pk).status in ("ready", "failed"), timeout=180, log=log)
    row.refresh_from_db()
    assert row.status == DocumentRender.Status.READY, row.error
    assert bytes(row.data).startswith(b"%PDF") and bytes(row.data).rstrip().endswith(b"%%EOF")
    assert row.page_count and row.page_count > 10
    assert "WorkerLostError" in log.read_text()
