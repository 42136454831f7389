import io
import json

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse

from casereview.storage import file_bytes
from chronology.importers import parse_chronology_file
from chronology.models import ChronologyEntry, ChronologyUpload
from reviews.models import Agency, AuditEntry, Imr
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _url(name, world, *extra):
    return reverse(f"chronology:{name}", args=[world.review.pk, world.imr_a.pk, *extra])


def test_author_adds_an_entry_without_a_page_reload(client, world):
    client.force_login(world.author_a)
    response = client.post(
        _url("entry_create", world),
        {"date": "between 1 and 15 May 2021", "time": "09:30", "people": "Susan Marsh; Paul", "details": "Referral."},
        **HTMX,
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<div id="chronology">')
    entry = ChronologyEntry.objects.get(details="Referral.")
    assert (entry.precision, entry.date_display, entry.people) == ("range", "1–15 May 2021", ["Susan Marsh", "Paul"])
    # After the entry agency A already had (factory positions depend on the tests run before).
    assert entry.position == world.entry_a.position + 1 and entry.created_by == world.author_a
    # The date box is ready for the next entry, and the addition is read out.
    after = json.loads(response["HX-Trigger-After-Settle"])
    assert after["casereview:focus"] == {"selectors": ["#id_date"]}
    assert after["casereview:announce"]["message"] == "Entry for 1–15 May 2021 added, on page 1."


def test_a_bad_entry_is_explained_on_the_form_and_nothing_is_saved(client, world):
    client.force_login(world.author_a)
    before = ChronologyEntry.objects.count()
    page = client.post(
        _url("entry_create", world), {"date": "31/02/2021", "time": "25:00", "details": ""}, **HTMX
    ).content.decode()
    assert "&quot;31/02/2021&quot; is not a real date" in page
    assert "&quot;25:00&quot; is not a time" in page
    assert "Details are required" in page
    assert ChronologyEntry.objects.count() == before


def test_editing_an_entry_in_place_returns_only_its_row(client, world):
    client.force_login(world.author_a)
    form_row = client.get(_url("entry_edit", world, world.entry_a.pk), **HTMX).content.decode()
    assert form_row.lstrip().startswith("<tr") and 'value="1 May 2021"' in form_row
    response = client.post(
        _url("entry_edit", world, world.entry_a.pk), {"date": "Aug 2020", "details": "Moved.", "source": "x"}, **HTMX
    )
    row = response.content.decode()
    assert "HX-Retarget" not in response and row.lstrip().startswith(f'<tr id="entry-{world.entry_a.pk}"')
    assert row.count("<tr") == 1 and "Aug 2020" in row
    after = json.loads(response["HX-Trigger-After-Settle"])
    assert after["casereview:announce"] == {"message": "Entry for Aug 2020 saved.", "region": "#chronology-status"}
    assert after["casereview:focus"] == {"selectors": [f"#edit-entry-{world.entry_a.pk}"]}
    world.entry_a.refresh_from_db()
    assert (world.entry_a.date_display, world.entry_a.precision) == ("Aug 2020", "month")


def test_same_day_entries_can_be_reordered_but_not_across_days(client, world):
    world.entry_a.position = 1
    world.entry_a.save()
    second = EntryFactory(imr=world.imr_a, position=2)
    other_day = EntryFactory(imr=world.imr_a, position=3, date_start="2021-06-01", date_end="2021-06-01")
    client.force_login(world.author_a)
    client.post(_url("entry_move", world, second.pk), {"direction": "up"})
    second.refresh_from_db()
    world.entry_a.refresh_from_db()
    assert (second.position, world.entry_a.position) == (1, 2)
    client.post(_url("entry_move", world, other_day.pk), {"direction": "up"})
    other_day.refresh_from_db()
    assert other_day.position == 3


def _upload(client, world, content: bytes, name="chronology.csv"):
    """Upload a file; its check (a job, sent once the request commits) runs here, in process."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(_url("upload", world), {"file": SimpleUploadedFile(name, content)})


def test_upload_preview_then_import_replaces_entries_only_when_chosen(client, world):
    client.force_login(world.author_a)
    content = (
        "Date,Time,Details,Source,Significant\r\n09/08/2021,14:30,Home visit,HV record,Y\r\nSummer 2021,,Call,Log,N\r\n"
    )
    response = _upload(client, world, content.encode())
    upload = ChronologyUpload.objects.get()
    assert response.url == _url("upload_preview", world, upload.pk)
    preview = client.get(response.url).content.decode()
    assert "Summer 2021" in preview and "already has 1 entry" in preview
    # Nothing is chosen for the author: no choice is an error at the field, and nothing changes.
    assert 'name="mode" value="add" id="id_mode_0" aria-describedby="id_mode_0_hint">' in preview
    refused = client.post(response.url, {}).content.decode()
    assert 'id="id_mode_error"' in refused and "Choose whether to add the file&#x27;s rows" in refused
    assert 'href="#id_mode_0"' in refused  # the error summary links to the first choice
    assert list(world.imr_a.entries.values_list("details", flat=True)) == [world.entry_a.details]
    client.post(response.url, {"mode": "replace"})
    assert list(world.imr_a.entries.order_by("position").values_list("details", "significant")) == [
        ("Home visit", True),
        ("Call", False),
    ]
    upload.refresh_from_db()
    assert (upload.outcome, file_bytes(upload.upload_file), file_bytes(upload.parse_file)) == ("imported", b"", b"")
    assert AuditEntry.objects.get(action="chronology.imported").detail == {"rows": 2, "replaced": 1}
    # A second click on Import (or a replayed request) imports nothing twice.
    assert client.get(response.url).status_code == 404
    assert world.imr_a.entries.count() == 2


def test_an_upload_with_bad_rows_lists_each_and_imports_nothing(client, world):
    client.force_login(world.author_a)
    content = (
        "Date,Time,Details,Source\r\n"
        "01/05/2021,10:00,Fine row,Log\r\n"
        "31/02/2021,,Impossible date,Log\r\n"
        "sometime,,Unparseable date,Log\r\n"
        "02/05/2021,25:00,Bad time,Log\r\n"
        "03/05/2021,,,Log\r\n"
    )
    response = _upload(client, world, content.encode())
    page = client.get(response.url).content.decode()
    assert "4 problems" in page
    for row, column, text in [
        (3, "Date", "&quot;31/02/2021&quot; is not a real date"),
        (4, "Date", "&quot;sometime&quot;"),
        (5, "Time", "&quot;25:00&quot; is not a time"),
        (6, "Details", "Details are required"),
    ]:
        assert f"<td>{row}</td><td>{column}</td><td>{text}" in page
    assert "Upload the corrected file" in page and "Import" not in page.split("Problems, by row")[0]
    # The file itself is not kept once checked (only what the check found), and nothing was imported.
    upload = ChronologyUpload.objects.get()
    assert (upload.status, upload.row_count, upload.error_count, file_bytes(upload.upload_file)) == ("ready", 1, 4, b"")
    assert list(world.imr_a.entries.values_list("pk", flat=True)) == [world.entry_a.pk]
    assert AuditEntry.objects.get(action="chronology.uploaded").detail == {"bytes": len(content.encode())}


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "chronology.csv", "PDF document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "chronology.xlsx", "Excel 97-2003"),
    ],
)
def test_files_are_refused_by_their_content_not_their_name(client, world, content, name, reason):
    client.force_login(world.author_a)
    page = _upload(client, world, content, name).content.decode()
    assert reason in page
    assert not ChronologyUpload.objects.exists()


def test_an_empty_upload_is_refused(client, world):
    client.force_login(world.author_a)
    page = _upload(client, world, b"").content.decode()
    assert "empty" in page
    assert not ChronologyUpload.objects.exists()


def test_an_upload_over_the_limit_is_refused_with_the_sizes(client, world, settings):
    settings.CHRONOLOGY_UPLOAD_MAX_BYTES = 1_000_000
    client.force_login(world.author_a)
    page = _upload(client, world, b"Date,Details\r\n" + b"01/01/2021,x\r\n" * 100_000).content.decode()
    assert "The file is 1.4 MB; the limit is 1 MB." in page


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_downloadable_template_imports_cleanly(client, world, fmt):
    client.force_login(world.author_a)
    response = client.get(reverse("chronology:template", args=[fmt]))
    result = parse_chronology_file(response.content)
    assert result.errors == [] and len(result.rows) == 3
    assert [row.date_display for row in result.rows] == ["9 Aug 2010", "Aug 2010", "1–15 May 2012"]
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert sheet.title == "Chronology"


def test_import_chronology_creates_the_agency_and_imr_and_can_accept(tmp_path, world, capsys):
    path = tmp_path / "housing.csv"
    path.write_bytes("Date,Details,Source\n12/03/2021,Tenancy visit,Housing file\n".encode("cp1252"))
    call_command("import_chronology", "NDHR-01", "Northshire Housing", str(path), "--accept")
    out = capsys.readouterr().out
    assert "Imported 1 entries for Northshire Housing into NDHR-01; accepted" in out
    imr = Imr.objects.get(review=world.review, agency__name="Northshire Housing")
    assert imr.status == Imr.Status.ACCEPTED
    assert Agency.objects.get(name="Northshire Housing").partnership == world.review.partnership


def test_import_chronology_prints_every_row_error_and_imports_nothing(tmp_path, world, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("Date,Time,Details\n31/02/2012,,x\n01/01/2012,24:61,y\n")
    with pytest.raises(CommandError, match="2 problems; nothing imported"):
        call_command("import_chronology", "NDHR-01", "Northshire Police", str(path))
    err = capsys.readouterr().err
    assert 'bad.csv: row 2, Date: "31/02/2012" is not a real date' in err
    assert 'bad.csv: row 3, Time: "24:61" is not a time' in err
    assert list(world.imr_a.entries.values_list("pk", flat=True)) == [world.entry_a.pk]


def test_import_chronology_refuses_a_submitted_imr(tmp_path, world):
    path = tmp_path / "ok.csv"
    path.write_text("Date,Details,Source\n01/01/2012,x,y\n")
    with pytest.raises(CommandError, match="is submitted: its chronology and narrative can no longer be changed"):
        call_command("import_chronology", "NDHR-01", "Northshire Children's Social Care", str(path))


def test_a_newer_upload_or_a_submission_clears_the_waiting_one(client, world):
    from chronology.services import uploads_discard

    client.force_login(world.author_a)
    good = b"Date,Details,Source\r\n01/05/2021,Visit,Log\r\n"
    _upload(client, world, good)
    _upload(client, world, good)
    outcomes = list(ChronologyUpload.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["discarded", "waiting"]
    assert file_bytes(ChronologyUpload.objects.get(outcome="discarded").parse_file) == b""
    assert uploads_discard(world.imr_a) == 1


def test_stale_uploads_are_cleared_by_the_scheduled_task(world, settings):
    import datetime

    from django.utils import timezone

    from chronology.tasks import uploads_discard_stale

    old = ChronologyUpload.objects.create(
        imr=world.imr_a, status="ready", parse_file=ContentFile(b"x", "a.bin"), original_name="a.csv"
    )
    stuck = ChronologyUpload.objects.create(
        imr=world.imr_a, upload_file=ContentFile(b"Date,Details\n", "b.csv"), original_name="b.csv"
    )
    ChronologyUpload.objects.filter(pk__in=[old.pk, stuck.pk]).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    fresh = ChronologyUpload.objects.create(
        imr=world.imr_a, status="ready", parse_file=ContentFile(b"x", "c.bin"), original_name="c.csv"
    )
    assert uploads_discard_stale.delay().get() == 2
    assert uploads_discard_stale.delay().get() == 0
    for upload in (old, stuck, fresh):
        upload.refresh_from_db()
    assert (old.outcome, old.status, file_bytes(old.parse_file)) == ("discarded", "ready", b"")
    assert (stuck.outcome, stuck.status, file_bytes(stuck.upload_file)) == ("discarded", "cancelled", b"")
    assert (fresh.outcome, file_bytes(fresh.parse_file)) == ("waiting", b"x")
    assert "chronology.tasks.uploads_discard_stale" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_saving_an_entry_someone_else_deleted_does_not_bring_it_back(world):
    from django.core.exceptions import ValidationError

    from chronology import services
    from chronology.importers import row_from_cells

    stale = ChronologyEntry.objects.get(pk=world.entry_a.pk)
    ChronologyEntry.objects.filter(pk=world.entry_a.pk).delete()
    row, _issues = row_from_cells({"date": "May 2021", "details": "Edited", "source": "Log"}, row=1)
    with pytest.raises(ValidationError, match="deleted by someone else"):
        services.entry_update(actor=world.author_a, entry=stale, row=row)
    assert not ChronologyEntry.objects.filter(pk=world.entry_a.pk).exists()


def test_an_expired_session_tells_an_htmx_request_so_and_leaves_the_page_where_it_is(client, world):
    """No redirect to sign in: the page keeps what was typed and shows the message."""
    response = client.post(_url("entry_create", world), {"date": "May 2021", "details": "x"}, **HTMX)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("text/plain")
    assert "signed out" in response.content.decode()
    assert "HX-Redirect" not in response
    assert not ChronologyEntry.objects.filter(details="x").exists()
