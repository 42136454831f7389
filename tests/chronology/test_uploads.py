"""An uploaded chronology is checked once, by a job: the upload page shows the job's status, and
the preview and the import read what the job stored, never the file."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from casereview.storage import file_bytes
from chronology import services
from chronology.models import ChronologyUpload
from chronology.tasks import upload_parse_task
from reviews.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = b"Date,Time,Details,Source,Significant\r\n09/08/2021,14:30,Home visit,HV record,Y\r\nSummer 2021,,Call,Log,N\r\n"


def _url(name, world, *extra, imr=None):
    return reverse(f"chronology:{name}", args=[world.review.pk, (imr or world.imr_a).pk, *extra])


def _upload(client, world, content: bytes = GOOD, name="chronology.csv", *, run_job=True):
    """Upload a file; with run_job, its check (sent once the request commits) runs here, in process."""
    with TestCase.captureOnCommitCallbacks(execute=run_job):
        response = client.post(_url("upload", world), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()
    return response, ChronologyUpload.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[1])


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    workbook.active.title = "Chronology"
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def parses(monkeypatch):
    """Every time the service reads a file, counted."""
    calls = []
    real = services.parse_chronology_file

    def counted(*args, **kwargs):
        calls.append(kwargs.get("filename"))
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "parse_chronology_file", counted)
    return calls


def test_an_upload_is_read_once_by_its_job_and_the_preview_and_import_read_what_it_stored(client, world, parses):
    client.force_login(world.author_a)

    response, upload = _upload(client, world)

    assert parses == ["chronology.csv"]
    assert (upload.status, upload.requested_by, upload.row_count, upload.error_count) == ("ready", world.author_a, 2, 0)
    assert AuditEntry.objects.get(action="chronology.uploaded").detail == {"bytes": len(GOOD)}
    assert file_bytes(upload.upload_file) == b""  # the file is gone once read; what was found is kept
    preview = client.get(response.url).content.decode()
    assert "Summer 2021" in preview and "Import the file" in preview
    client.post(response.url, {"mode": "replace"})
    assert parses == ["chronology.csv"]
    assert list(world.imr_a.entries.order_by("position").values_list("details", flat=True)) == ["Home visit", "Call"]
    upload.refresh_from_db()
    assert (upload.outcome, file_bytes(upload.parse_file)) == ("imported", b"")


def test_the_stored_check_reads_back_exactly_what_was_found(client, world):
    client.force_login(world.author_a)
    content = b"Date,Time,Details,Source,Extra\r\n09/08/2021,14:30,Visit,,x\r\n31/02/2021,,Bad,Log,\r\n"

    _response, upload = _upload(client, world, content)

    stored = services.upload_result(upload)
    direct = services.parse_chronology_file(content)
    assert stored == direct
    assert stored.rows[0].time.hour == 14 and stored.rows[0].date_start.isoformat() == "2021-08-09"


def test_while_the_check_waits_the_page_shows_its_status_and_polls_only_that(client, world, parses):
    client.force_login(world.author_a)
    response, upload = _upload(client, world, run_job=False)
    status_url = _url("upload_status", world, upload.pk)

    page = client.get(response.url).content.decode()
    assert f'data-job-poll="{status_url}"' in page and "Waiting to start." in page
    # Import asked for before the check has run imports nothing and reads nothing.
    assert client.post(response.url, {"mode": "replace"}).status_code == 200
    assert list(world.imr_a.entries.values_list("pk", flat=True)) == [world.entry_a.pk]
    waiting = client.get(status_url).json()
    assert (waiting["status"], waiting["active"], "html" in waiting) == ("queued", True, False)
    assert parses == []

    assert upload_parse_task(upload.pk) == "ready"
    assert upload_parse_task(upload.pk) == "not queued"  # a second delivery reads nothing again
    done = client.get(status_url)
    assert done["Cache-Control"] == "no-store"
    assert done.json()["status"] == "ready" and "2 rows read" in done.json()["html"]
    assert "See what was found" in done.json()["html"] and parses == ["chronology.csv"]


@pytest.mark.parametrize(
    ("setting", "value", "reason"),
    [
        (
            "CHRONOLOGY_UPLOAD_MAX_CELLS",
            5,
            "The sheet &quot;Chronology&quot; uses cells up to C2: 2 rows by 3 columns is 6 cells, and the limit is 5.",
        ),
        ("CHRONOLOGY_UPLOAD_MAX_UNPACKED_BYTES", 1000, "The workbook unpacks to "),
    ],
    ids=["cells", "unpacked"],
)
def test_a_file_the_check_cannot_read_fails_saying_why_and_is_not_kept(client, world, settings, setting, value, reason):
    setattr(settings, setting, value)
    client.force_login(world.author_a)

    response, upload = _upload(client, world, _xlsx([["Date", "Details", "Source"], ["9/8/2021", "Seen", "GP"]]))

    page = client.get(response.url).content.decode()
    assert "Failed: " + reason in page
    assert "Upload a different file" in page and "Import" not in page
    assert json.loads(client.get(_url("upload_status", world, upload.pk)).content)["status"] == "failed"
    upload.refresh_from_db()
    assert (upload.status, file_bytes(upload.upload_file), file_bytes(upload.parse_file)) == ("failed", b"", b"")


def test_a_file_that_is_no_spreadsheet_is_refused_at_once_and_no_job_is_made(client, world, parses):
    client.force_login(world.author_a)

    page = client.post(
        _url("upload", world), {"file": SimpleUploadedFile("chronology.xlsx", b"%PDF-1.7\n1 0 obj")}
    ).content.decode()

    assert "This is a PDF document, not a CSV or XLSX spreadsheet." in page
    assert not ChronologyUpload.objects.exists() and parses == []


def test_another_agencys_author_gets_404_for_an_upload_its_status_and_its_import(client, world):
    client.force_login(world.author_a)
    response, upload = _upload(client, world)
    status_url = _url("upload_status", world, upload.pk)

    client.force_login(world.author_b)
    assert client.get(response.url).status_code == 404
    assert client.get(status_url).status_code == 404
    assert client.post(response.url, {"mode": "replace"}).status_code == 404
    assert list(world.imr_a.entries.values_list("pk", flat=True)) == [world.entry_a.pk]
    # The upload's id under another IMR's address is no way in either.
    client.force_login(world.author_a)
    assert client.get(_url("upload_preview", world, upload.pk, imr=world.imr_b)).status_code in (403, 404)


def test_an_imported_or_replaced_upload_is_gone(client, world):
    client.force_login(world.author_a)
    first_response, first = _upload(client, world)
    second_response, second = _upload(client, world)

    assert client.get(first_response.url).status_code == 404
    assert client.get(_url("upload_status", world, first.pk)).status_code == 404
    client.post(second_response.url, {"mode": "replace"})
    assert client.get(second_response.url).status_code == 404
    assert client.post(second_response.url, {"mode": "replace"}).status_code == 404
    assert world.imr_a.entries.count() == 2


def test_the_same_file_sent_twice_while_it_is_checked_is_one_check(client, world):
    client.force_login(world.author_a)
    first_response, first = _upload(client, world, run_job=False)

    second_response, second = _upload(client, world, run_job=False)
    other_response, other = _upload(client, world, GOOD + b"01/01/2021,,Another,Log,N\r\n", run_job=False)

    assert second.pk == first.pk and other.pk != first.pk
    first.refresh_from_db()
    assert (first.outcome, first.status) == ("discarded", "cancelled")  # a different file replaced it
    assert upload_parse_task(first.pk) == "not queued" and upload_parse_task(other.pk) == "ready"
    assert AuditEntry.objects.filter(action="chronology.uploaded").count() == 2
