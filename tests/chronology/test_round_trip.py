"""An agency's chronology downloaded in the upload template uploads back unchanged: "replace"
gives the same entries, "add" adds nothing and says every row was skipped as a duplicate."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from chronology import selectors, services
from chronology.importers import COLUMN_LABELS, COLUMNS, row_from_cells
from chronology.models import ChronologyUpload
from reviews.models import AuditEntry, Imr

pytestmark = pytest.mark.django_db

# Every date form, times with and without seconds, text Excel would run as a formula, accents,
# curly quotes, a pound sign, line breaks, and two entries exactly alike.
ENTRIES = [
    {"date": "09/08/2010", "time": "14:30", "people": "Zoë Marsh; Child 1", "source": "Police log 1234",
     "details": "Neighbour’s call: shouting.\nOfficers attended at 14:40.", "significant": "Y"},
    {"date": "Aug 2010", "details": "=HYPERLINK(\"http://x\",\"click\")", "source": "@system", "event": "-"},
    {"date": "Summer 2017", "time": "09:05:30", "details": "- seen by GP\n- prescribed", "outcome": "+44 7700 900000"},
    {"date": "c. 2004", "details": "Café visit, £5 fine", "comment": "Author’s note: «unclear»"},
    {"date": "between 1 and 15 May 2012", "details": "Strategy discussion", "practitioner": "Team manager"},
    {"date": "Late 2012", "details": "Moved address", "source": "Housing file"},
    {"date": "2011", "details": "Year only", "source": "GP record", "significant": "N"},
    {"date": "May 2012 to June 2012", "details": "Two months", "source": "CSC file"},
    {"date": "09/08/2010", "time": "14:30", "people": "Zoë Marsh; Child 1", "source": "Police log 1234",
     "details": "Neighbour’s call: shouting.\nOfficers attended at 14:40.", "significant": "Y"},
]  # fmt: skip


def _url(name, imr, *extra):
    return reverse(f"chronology:{name}", args=[imr.review_id, imr.pk, *extra])


def _fill(world):
    imr = world.imr_a
    imr.entries.all().delete()
    for cells in ENTRIES:
        row, issues = row_from_cells(cells, row=1)
        assert row is not None, issues
        services.entry_create(actor=world.author_a, imr=imr, row=row)
    return imr


def _snapshot(imr):
    """The entries as the table shows them, in its order: everything the author wrote."""
    return [
        tuple(tuple(value) if isinstance(value, list) else value for value in entry)
        for entry in selectors.imr_entries(imr).values_list(*services.ENTRY_FIELDS)
    ]


def _upload(client, imr, content: bytes, name: str) -> str:
    """Upload a file and run its check here; the preview's address."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(_url("upload", imr), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content.decode()
    return response.url


def _import(client, url: str, mode: str) -> str:
    response = client.post(url, {"mode": mode}, follow=True)
    assert response.status_code == 200
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1, response.content.decode()
    return messages[0]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_downloaded_chronology_uploads_back_unchanged_whether_replacing_or_adding(client, world, fmt):
    imr = _fill(world)
    before = _snapshot(imr)
    client.force_login(world.author_a)

    response = client.get(_url("download", imr, fmt))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="NDHR-01-Northshire-Police-chronology.{fmt}"'
    assert response["Cache-Control"] == "private, no-store"
    content = response.content
    audit = AuditEntry.objects.get(action="chronology.downloaded")
    assert (audit.actor, audit.review) == (world.author_a, world.review)
    assert audit.detail == {"format": fmt, "bytes": len(content)}

    preview = client.get(_upload(client, imr, content, f"mine.{fmt}")).content.decode()
    assert "9 rows read" in preview and "0 problems" not in preview
    assert "Nothing will be added: every row is already in the chronology." in preview
    url = _upload(client, imr, content, f"mine.{fmt}")
    message = _import(client, url, "replace")
    assert message == f"Imported 9 entries from mine.{fmt}, replacing the 9 there were."
    assert _snapshot(imr) == before

    preview = client.get(url := _upload(client, imr, content, f"mine.{fmt}")).content.decode()
    assert "9 rows will be skipped as exact duplicates: rows 2, 3, 4, 5, 6, 7, 8, 9 and 10 are already in" in preview
    message = _import(client, url, "add")
    assert message == (
        f"Imported 0 entries from mine.{fmt}; skipped 9 rows already in the chronology or repeated in the file "
        "(rows 2, 3, 4, 5, 6, 7, 8, 9 and 10)."
    )
    assert _snapshot(imr) == before
    assert AuditEntry.objects.filter(action="chronology.imported").latest("pk").detail == {
        "rows": 0, "replaced": 0, "mode": "add", "skipped": 9,
    }  # fmt: skip


def test_the_download_is_the_template_its_columns_headings_and_date_forms(client, world):
    imr = _fill(world)
    client.force_login(world.author_a)
    blank = openpyxl.load_workbook(io.BytesIO(client.get(reverse("chronology:template", args=["xlsx"])).content))
    mine = openpyxl.load_workbook(io.BytesIO(client.get(_url("download", imr, "xlsx")).content))
    assert mine.sheetnames == blank.sheetnames == ["Chronology"]
    headings = [cell.value for cell in mine["Chronology"][1]]
    assert headings == [cell.value for cell in blank["Chronology"][1]] == [COLUMN_LABELS[key] for key in COLUMNS]
    rows = list(mine["Chronology"].iter_rows(min_row=2, values_only=True))
    # A day is a real date cell shown DD/MM/YYYY, as in the template; anything else is its text.
    sheet = mine["Chronology"]
    assert [row[0] for row in rows[:2]] == ["c. 2004", "Aug 2010"]
    assert (sheet["A4"].value, sheet["A4"].number_format) == (datetime.datetime(2010, 8, 9), "DD/MM/YYYY")
    assert [row[0] for row in rows[5:]] == ["1–15 May 2012", "May–Jun 2012", "Late 2012", "Summer 2017"]
    assert (rows[2][1], rows[8][1], rows[2][2], rows[2][9]) == ("14:30", "09:05:30", "Zoë Marsh; Child 1", "Y")
    # Text that would run as a formula is shown as text.
    assert '\'=HYPERLINK("http://x","click")' in [row[6] for row in rows]

    text = client.get(_url("download", imr, "csv")).content
    assert text.startswith(b"\xef\xbb\xbfDate,Time,Person(s),Source,Practitioner,Event,Details,Action / Outcome,")
    lines = text.decode("utf-8-sig").splitlines()
    assert lines[1:3] == [
        'c. 2004,,,,,,"Café visit, £5 fine",,Author’s note: «unclear»,N',
        'Aug 2010,,,\'@system,,\'-,"\'=HYPERLINK(""http://x"",""click"")",,,N',
    ]
    assert lines[3].startswith('09/08/2010,14:30,Zoë Marsh; Child 1,Police log 1234,,,"Neighbour’s call')
    assert "'=HYPERLINK" in text.decode("utf-8-sig") and ",'@system," in text.decode("utf-8-sig")


def test_only_the_agencys_own_author_and_the_panel_once_submitted_download_it(client, world):
    client.force_login(world.author_b)
    assert client.get(_url("download", world.imr_a, "csv")).status_code == 404
    client.force_login(world.panel)
    assert client.get(_url("download", world.imr_a, "csv")).status_code == 404  # a draft is the agency's own
    response = client.get(_url("download", world.imr_b, "csv"))
    assert response.status_code == 200 and world.entry_b.details in response.content.decode("utf-8-sig")
    client.force_login(world.author_a)
    assert client.get(_url("download", world.imr_a, "docx")).status_code == 404
    assert not AuditEntry.objects.filter(action="chronology.downloaded", actor__in=[world.author_b, world.author_a])


# --- Files as agencies send them ----------------------------------------------------------

CSV_TEXT = (
    "Date,Time,Person(s),Source,Event,Details,Action / Outcome,Significant\r\n"
    "09/08/2021,14:30,Zoë Marsh,GP record,Home visit,Mother’s café job: owes £40,Referred,Y\r\n"
    "Summer 2021,,,Police log,Call,Renée called about the noise,,N\r\n"
    "Summer 2021,,,Police log,Call,Renée called about the noise,,N\r\n"
)


def _xlsx(dates: list[object]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Chronology"
    sheet.append(["Date", "Time", "Source", "Details", "Significant"])
    for number, date in enumerate(dates):
        sheet.append([date, None, "Health record", f"Appointment {number} at the clinic – Zoë’s £5 fare", "N"])
        if isinstance(date, datetime.date):
            sheet.cell(row=sheet.max_row, column=1).number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FILES = {
    "utf-8-bom.csv": (CSV_TEXT.encode("utf-8-sig"), ["Summer 2021", "9 Aug 2021"]),
    "windows-1252.csv": (CSV_TEXT.encode("cp1252"), ["Summer 2021", "9 Aug 2021"]),
    "date-cells.xlsx": (_xlsx([datetime.date(2021, 8, 9), datetime.date(2021, 9, 1)]), ["9 Aug 2021", "1 Sep 2021"]),
    "datetime-cells.xlsx": (
        _xlsx([datetime.datetime(2021, 8, 9, 0, 0), datetime.datetime(2021, 9, 1, 16, 45)]),
        ["9 Aug 2021", "1 Sep 2021"],
    ),
    "text-dates.xlsx": (_xlsx(["09/08/2021", "Sep 2021"]), ["9 Aug 2021", "Sep 2021"]),
}


@pytest.mark.parametrize("name", FILES)
def test_add_skips_what_is_already_there_and_repeats_in_the_file_then_replace_takes_the_file(client, world, name):
    content, dates = FILES[name]
    imr = world.imr_a
    client.force_login(world.author_a)
    repeated = name.endswith(".csv")  # the CSV repeats its last row

    url = _upload(client, imr, content, name)
    if repeated:
        preview = client.get(url).content.decode()
        assert "<td>4</td>" in preview and "<td>Skipped: repeats an earlier row</td>" in preview
        assert preview.count("<td>Added</td>") == 2
    message = _import(client, url, "add")
    skipped = "; skipped 1 row already in the chronology or repeated in the file (row 4)" if repeated else ""
    assert message == f"Imported 2 entries from {name}{skipped}."
    shown = list(selectors.imr_entries(imr).values_list("date_display", "details"))
    assert world.entry_a.details in [details for _date, details in shown]  # the entry there stays
    added = [date for date, details in shown if details != world.entry_a.details]
    assert added == dates
    texts = " ".join(imr.entries.values_list("details", flat=True))
    assert ("café" in texts and "’" in texts and "£40" in texts) or ("Zoë’s £5 fare" in texts)
    if name == "datetime-cells.xlsx":
        assert imr.entries.get(date_display="1 Sep 2021").time == datetime.time(16, 45)

    # The same file again: nothing is added, and the preview and the message say which rows.
    url = _upload(client, imr, content, name)
    preview = client.get(url).content.decode()
    assert "Nothing will be added: every row is already in the chronology." in preview
    # A row repeated in the file is, by now, in the chronology as well.
    assert preview.count("<td>Skipped: already in the chronology</td>") == (3 if repeated else 2)
    assert "<td>Skipped: repeats an earlier row</td>" not in preview
    again = _import(client, url, "add")
    assert again.startswith(f"Imported 0 entries from {name}; skipped {3 if repeated else 2} rows")
    assert imr.entries.count() == 3

    # Replace: the file as it is, its repeated row too.
    message = _import(client, _upload(client, imr, content, name), "replace")
    assert message == f"Imported {3 if repeated else 2} entries from {name}, replacing the 3 there were."
    assert world.entry_a.details not in imr.entries.values_list("details", flat=True)


def test_add_with_a_bad_row_imports_nothing_and_says_where(client, world):
    client.force_login(world.author_a)
    content = CSV_TEXT.encode("utf-8-sig") + b"31/02/2021,,,Log,Call,Bad date,,N\r\n"
    url = _upload(client, world.imr_a, content, "bad.csv")
    preview = client.get(url).content.decode()
    assert "<td>5</td><td>Date</td>" in preview and "is not a real date" in preview
    assert 'name="mode"' not in preview
    response = client.post(url, {"mode": "add"})
    assert response.status_code == 200 and "nothing was imported" in response.content.decode()
    assert list(world.imr_a.entries.values_list("pk", flat=True)) == [world.entry_a.pk]


def test_into_an_empty_chronology_nothing_is_asked_and_every_row_is_imported(client, world):
    world.imr_a.entries.all().delete()
    client.force_login(world.author_a)
    url = _upload(client, world.imr_a, CSV_TEXT.encode(), "first.csv")
    preview = client.get(url).content.decode()
    assert 'name="mode"' not in preview and "Import 3 entries" in preview
    assert client.post(url, {}).status_code == 302
    assert world.imr_a.entries.count() == 3


def test_a_choice_made_before_a_co_author_changed_the_chronology_counts_what_is_there_at_import(client, world):
    """The preview's counts are the chronology's when it was drawn; the import checks again under its lock."""
    client.force_login(world.author_a)
    url = _upload(client, world.imr_a, CSV_TEXT.encode(), "mine.csv")
    client.get(url)
    cells = {"date": "Summer 2021", "source": "Police log", "event": "Call", "details": "Renée called about the noise"}
    row, _issues = row_from_cells(cells, row=1)
    services.entry_create(actor=world.author_a, imr=Imr.objects.get(pk=world.imr_a.pk), row=row)
    message = _import(client, url, "add")
    assert message == (
        "Imported 1 entry from mine.csv; skipped 2 rows already in the chronology or repeated in the file "
        "(rows 3 and 4)."
    )
    assert ChronologyUpload.objects.get().outcome == "imported"
