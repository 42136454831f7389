"""The one job mechanism (casereview.jobs), in process, for every kind of job: asking twice gives
one job, a claim is taken once and counts the attempt, a superseded attempt writes nothing, a
job whose worker stopped is queued again by the sweeper (and failed after too many tries), a
row never handed to the broker is sent by the sweeper, a lost database connection is reconnected
before the final write, a readable reason on failure, retry and cancel. The same faults with real
processes are in tests/test_faults.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone
from django.utils.module_loading import import_string

from actions import board_exports
from actions.models import BoardPlanExport
from casereview import job_sweep, jobs
from casereview.celery import app as celery_app
from casereview.storage import file_bytes
from chronology import services as chronology_services
from chronology.exports import services as export_services
from chronology.integrated import build as integrated_build
from chronology.integrated import services as integrated_services
from chronology.models import ChronologyExport, ChronologyUpload, IntegratedChronology
from reports import render_service, submission_pack
from reports.models import Document, DocumentRender
from reports.submission_models import SubmissionPack
from reports.submission_services import submission_pack_request
from reviews.models import AuditEntry
from tests.reports.render_fixtures import make_document, paragraphs

pytestmark = pytest.mark.django_db


@dataclass
class Kind:
    model: type[jobs.Job]
    ask: Any  # (world) -> a queued row, asked for through its service
    again: Any  # (world, row) -> the same request made again
    check: Any  # (row) -> whether the finished row holds its result


def _build(world):
    return integrated_services.integrated_request(actor=world.chair, review=world.review)


def _ready_version(world) -> IntegratedChronology:
    chronology = _build(world)
    assert jobs.job_execute(IntegratedChronology, chronology.pk, integrated_build.integrated_build) == "ready"
    chronology.refresh_from_db()
    return chronology


def _export(world):
    return export_services.export_request(actor=world.chair, chronology=_ready_version(world), fmt="csv", names="real")


def _render(world):
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    return render_service.render_request(actor=world.chair, document=document, fmt="pdf", publication=False)


def _board(world):
    return board_exports.board_export_request(actor=world.board_admin, partnership=world.review.partnership, fmt="xlsx")


def _pack(world):
    """The review's submission pack (a DHR's: its overview report and executive summary)."""
    if not Document.objects.filter(review=world.review).exists():
        make_document(world, sections=[("Introduction", paragraphs(1))])
        make_document(world, sections=[("The review process", paragraphs(1))], kind=Document.Kind.EXECUTIVE_SUMMARY)
    return submission_pack_request(actor=world.chair, review=world.review)


UPLOAD = b"Date,Details,Source\r\n09/08/2021,Home visit,HV record\r\n"


def _upload(world):
    return chronology_services.upload_request(
        actor=world.author_a, imr=world.imr_a, data=UPLOAD, original_name="chronology.csv", max_bytes=10_000_000
    )


def _export_again(world, row):
    return export_services.export_request(actor=world.chair, chronology=row.chronology, fmt="csv", names="real")


def _render_again(world, row):
    return render_service.render_request(actor=world.chair, document=row.document, fmt="pdf", publication=False)


KINDS = {
    "build": Kind(IntegratedChronology, _build, lambda world, row: _build(world), lambda row: row.agency_names == []),
    "export": Kind(ChronologyExport, _export, _export_again, lambda row: b"Date" in file_bytes(row.file)[:200]),
    "render": Kind(
        DocumentRender, _render, _render_again, lambda row: file_bytes(row.file).startswith(b"%PDF") and row.page_count
    ),
    "board": Kind(
        BoardPlanExport, _board, lambda world, row: _board(world), lambda row: file_bytes(row.file).startswith(b"PK")
    ),
    "upload": Kind(
        ChronologyUpload,
        _upload,
        lambda world, row: _upload(world),
        lambda row: row.row_count == 1 and bool(row.parse_file),
    ),
    "pack": Kind(
        SubmissionPack, _pack, lambda world, row: _pack(world), lambda row: file_bytes(row.file).startswith(b"PK")
    ),
}


@pytest.fixture(params=list(KINDS))
def kind(request) -> Kind:
    return KINDS[request.param]


def _handler(model):
    return {
        IntegratedChronology: integrated_build.integrated_build,
        ChronologyExport: export_services.export_produce,
        DocumentRender: render_service.render_make,
        BoardPlanExport: board_exports.board_export_make,
        ChronologyUpload: chronology_services.upload_parse,
        SubmissionPack: submission_pack.pack_make,
    }[model]


def _run(row) -> str:
    return jobs.job_execute(type(row), row.pk, _handler(type(row)))


def test_every_kind_of_job_is_swept_and_names_its_task():
    assert set(jobs.job_models()) == {kind.model for kind in KINDS.values()}
    for model in jobs.job_models():
        assert import_string(model.task_name).name == model.task_name, model


def test_a_job_is_done_once_and_asking_again_meanwhile_gives_the_same_job(world, kind):
    row = kind.ask(world)
    assert row.status == jobs.Job.Status.QUEUED and row.dispatched_at is None  # sent once the request commits
    count = kind.model.objects.count()
    assert kind.again(world, row).pk == row.pk and kind.model.objects.count() == count
    assert _run(row) == "ready"
    assert _run(row) == "not queued"  # a second delivery of the task finds nothing to claim
    row.refresh_from_db()
    assert (row.status, row.attempt, row.progress, row.error) == ("ready", 1, 100, "")
    assert kind.check(row)


def test_an_attempt_that_lost_its_row_writes_nothing(world, kind, monkeypatch):
    row = kind.ask(world)
    handler = _handler(kind.model)
    monkeypatch.setattr(jobs, "job_dispatch", lambda model, pk: True)  # the other worker is this test

    def overtaken(claimed, run):
        # While this worker works, its heartbeat stopped: the sweeper queued the row again and
        # another worker claimed it (attempt 2).
        kind.model.objects.filter(pk=row.pk).update(heartbeat_at=timezone.now() - jobs.STUCK_AFTER * 2)
        job_sweep.jobs_sweep()
        assert jobs.job_claim(kind.model, row.pk).attempt == 2
        return handler(claimed, run)

    assert jobs.job_execute(kind.model, row.pk, overtaken) == "abandoned"
    row.refresh_from_db()
    assert (row.status, row.attempt, row.interruptions) == ("running", 2, 1)
    assert not getattr(row, "file", "") and row.error == ""


def test_a_job_whose_worker_stopped_is_queued_again_then_failed_after_three_times(world, kind, monkeypatch):
    row = kind.ask(world)
    sent = []
    monkeypatch.setattr(jobs, "job_dispatch", lambda model, pk: sent.append(pk) or True)
    for attempt in range(1, jobs.MAX_INTERRUPTIONS + 1):
        run = jobs.job_claim(kind.model, row.pk)
        assert run.attempt == attempt
        later = timezone.now() + jobs.STUCK_AFTER + timedelta(seconds=1)
        assert job_sweep.jobs_sweep(now=timezone.now())[kind.model._meta.label_lower].requeued == 0  # alive: left alone
        job_sweep.jobs_sweep(now=later)
        row.refresh_from_db()
        if attempt < jobs.MAX_INTERRUPTIONS:
            assert (row.status, row.interruptions) == ("queued", attempt) and sent[-1] == row.pk
    assert row.status == "failed" and "interrupted 3 times" in row.error
    assert jobs.job_retry(row, actor=world.chair)
    row.refresh_from_db()
    assert (row.status, row.interruptions, row.error) == ("queued", 0, "")
    assert _run(row) == "ready"


def test_a_job_never_handed_to_the_broker_is_sent_by_the_sweeper(world, kind, monkeypatch):
    row = kind.ask(world)
    # The broker is down: handing over fails, the row stays unsent, and the caller never sees it.
    celery_app.conf.task_always_eager = False  # restored after each test (tests/conftest.py)

    class BrokerDown:
        def apply_async(self, *args, **kwargs):
            raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(jobs, "import_string", lambda name: BrokerDown())
    assert jobs.job_dispatch(kind.model, row.pk) is False
    row.refresh_from_db()
    assert row.dispatched_at is None and row.status == "queued"
    monkeypatch.undo()
    celery_app.conf.task_always_eager = True
    # The broker is back: the next sweep hands it over (here the task runs in process).
    job_sweep.jobs_sweep()
    row.refresh_from_db()
    assert row.status == "ready" and kind.check(row)


@pytest.mark.django_db(transaction=True)  # a worker writes outside any transaction
def test_the_final_write_survives_a_lost_database_connection(world, kind, monkeypatch):
    monkeypatch.setattr(jobs, "job_dispatch", lambda model, pk: True)  # run below, not on commit
    row = kind.ask(world)
    finish = jobs.JobRun.finish
    failures = []

    def connection_lost_once(run, **fields):
        if not failures:
            failures.append(1)
            raise OperationalError("terminating connection due to administrator command")
        return finish(run, **fields)

    monkeypatch.setattr(jobs.JobRun, "finish", connection_lost_once)
    monkeypatch.setattr(jobs, "_reconnect", lambda: None)  # the test database's connection is not lost
    monkeypatch.setattr(jobs.time, "sleep", lambda seconds: None)
    if kind.model is IntegratedChronology:
        pytest.skip("the build marks itself ready inside its own transaction: a lost connection requeues it")
    assert _run(row) == "ready" and failures
    row.refresh_from_db()
    assert row.status == "ready" and kind.check(row)


def test_a_lost_connection_mid_job_queues_it_again(world, kind, monkeypatch):
    row = kind.ask(world)
    sent = []
    monkeypatch.setattr(jobs, "job_dispatch", lambda model, pk: sent.append(pk) or True)
    monkeypatch.setattr(jobs, "_reconnect", lambda: None)

    def lost(claimed, run):
        raise OperationalError("server closed the connection unexpectedly")

    assert jobs.job_execute(kind.model, row.pk, lost) == "requeued"
    row.refresh_from_db()
    assert (row.status, row.interruptions, row.dispatched_at, sent) == ("queued", 1, None, [row.pk])
    assert _run(row) == "ready"


def test_a_failure_is_recorded_with_a_reason_a_person_can_read(world, kind):
    row = kind.ask(world)

    def broken(claimed, run):
        raise KeyError("internal detail")

    assert jobs.job_execute(kind.model, row.pk, broken) == "failed"
    row.refresh_from_db()
    assert row.status == "failed" and row.error.startswith("Something went wrong while doing this (KeyError)")
    assert "internal detail" not in row.error

    def refused(claimed, run):
        raise jobs.JobFailed("Section 2 names the victim.")

    assert jobs.job_retry(row, actor=world.chair)
    assert jobs.job_execute(kind.model, row.pk, refused) == "failed"
    row.refresh_from_db()
    assert (row.error, row.attempt) == ("Section 2 names the victim.", 2)


def test_a_cancelled_job_stops_at_its_next_progress_report(world, kind):
    row = kind.ask(world)

    def cancelled_meanwhile(claimed, run):
        jobs.job_cancel(claimed)
        run.progress(50)
        raise AssertionError("not reached")

    assert jobs.job_execute(kind.model, row.pk, cancelled_meanwhile) == "abandoned"
    row.refresh_from_db()
    assert row.status == "cancelled" and not getattr(row, "file", "")


def test_retry_and_cancel_are_audited_by_their_services(world):
    row = _render(world)
    jobs.job_cancel(row)
    assert render_service.render_retry(actor=world.chair, row=row)
    assert AuditEntry.objects.filter(action="document.render_retried", object_id=str(row.pk)).exists()
    assert not render_service.render_retry(actor=world.chair, row=row)  # waiting: nothing to retry


@pytest.mark.django_db(transaction=True)  # the worker marks an email sent outside any transaction
def test_an_email_sent_is_marked_sent_through_a_lost_database_connection(world, monkeypatch, mailoutbox):
    """Were the mark lost with the connection, the task's retry would find the email claimed and
    send nothing, and the sweeper would send it a second time once the claim lapsed."""
    from django.db import connection

    from reviews import notifications
    from reviews.models import Notification

    monkeypatch.setattr(jobs, "_reconnect", lambda: None)  # the test database's connection is not lost
    monkeypatch.setattr(jobs.time, "sleep", lambda seconds: None)
    notification = Notification.objects.create(recipient=world.panel, subject="You were added", body="NDHR-01")
    cut = []

    def lost_at_the_mark(execute, sql, params, many, context):
        if sql.startswith(f'UPDATE "{Notification._meta.db_table}" SET "sent_at"') and not cut:
            cut.append(sql)
            raise OperationalError("terminating connection due to administrator command")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(lost_at_the_mark):
        assert notifications.notification_send(notification.pk) is True
    notification.refresh_from_db()
    assert cut and notification.sent_at is not None and len(mailoutbox) == 1
    later = timezone.now() + notifications.SEND_LEASE + notifications.RESEND_AFTER + timedelta(seconds=1)
    assert notifications.notifications_sweep(now=later) == 0
    assert notifications.notification_send(notification.pk) is False  # a second delivery of the task
    assert len(mailoutbox) == 1


def test_a_render_is_cancelled_from_its_status_line_by_whoever_asked_for_it_or_the_chair(client, world):
    from django.urls import reverse

    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    row = render_service.render_request(actor=world.panel, document=document, fmt="pdf", publication=False)
    chairs = render_service.render_request(actor=world.chair, document=document, fmt="docx", publication=False)
    client.force_login(world.panel)
    page = reverse("reports:document", args=[world.review.pk, document.pk])
    cancel = reverse("reports:render_cancel", args=[world.review.pk, document.pk, row.pk])
    chairs_cancel = reverse("reports:render_cancel", args=[world.review.pk, document.pk, chairs.pk])
    html = client.get(page).content.decode()
    assert f'action="{cancel}"' in html and f'action="{chairs_cancel}"' not in html
    assert client.post(chairs_cancel).status_code == 403  # the chair's file is the chair's to stop
    assert client.post(cancel).status_code == 302
    row.refresh_from_db()
    chairs.refresh_from_db()
    assert (row.status, chairs.status) == ("cancelled", "queued")
    assert AuditEntry.objects.filter(action="document.render_cancelled", actor=world.panel).count() == 1
    client.post(cancel)  # already ended: nothing more
    assert AuditEntry.objects.filter(action="document.render_cancelled").count() == 1
    assert f'action="{cancel}"' not in client.get(page).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_row_its_worker_holds_locked_is_alive_whatever_its_heartbeat_says(world, monkeypatch):
    """A build holds its row inside its transaction, where its heartbeat cannot be written: the
    sweeper and a retry pass it over instead of waiting for it or taking it over."""
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks between two PostgreSQL sessions")
    monkeypatch.setattr(jobs, "job_dispatch", lambda model, pk: True)  # the worker is this test
    row = _board(world)
    run = jobs.job_claim(BoardPlanExport, row.pk)
    BoardPlanExport.objects.filter(pk=row.pk).update(heartbeat_at=timezone.now() - jobs.STUCK_AFTER * 2)
    locked, release = threading.Event(), threading.Event()

    def worker_holding_its_row():
        try:
            with transaction.atomic():
                assert run.mine().select_for_update().exists()
                locked.set()
                assert release.wait(30)
        finally:
            connections.close_all()

    worker = threading.Thread(target=worker_holding_its_row)
    worker.start()
    try:
        assert locked.wait(30)
        assert job_sweep.jobs_sweep()["actions.boardplanexport"].requeued == 0
        assert not jobs.job_retry(row, actor=world.board_admin)
    finally:
        release.set()
        worker.join(30)
    row.refresh_from_db()
    assert (row.status, row.attempt) == ("running", run.attempt)
    assert job_sweep.jobs_sweep()["actions.boardplanexport"].requeued == 1  # unlocked, and still silent
