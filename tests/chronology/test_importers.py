"""Agency chronology uploads: what an IMR author's CSV or XLSX turns into, and what they are told.

The importers are pure (bytes in, rows and issues out), so no database. Every fixture file is
built here: CSV as bytes, XLSX with openpyxl into memory."""

import datetime
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from chronology.importers import (
    COLUMN_LABELS,
    COLUMNS,
    FileRefused,
    ImportIssue,
    ParseResult,
    column_for_header,
    parse_chronology_file,
    row_from_cells,
)

D = datetime.date
T = datetime.time
MB = 1024 * 1024
HEADER = "Date,Time,Person(s),Source,Practitioner,Event,Details,Action / Outcome,Comment,Significant\r\n"


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "".join(line + "\r\n" for line in lines)).encode(encoding)


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def messages(result: ParseResult) -> list[str]:
    return [str(issue) for issue in result.issues]


# --- The header row -------------------------------------------------------------------------

HEADER_ALIASES = [
    ("date", ["Date", "DATE", "Date of contact", "Contact date", "date-of-event", "Date (dd/mm/yyyy)", "When"]),
    ("time", ["Time", "Time of contact", "Time (24hr)", "time (HH:MM)"]),
    ("people", ["Person(s)", "Persons involved", "Name(s)", "People", "Person(s) involved", "Subject"]),
    ("source", ["Source", "Source of information", "Agency record", "Record", "Reference", "System"]),
    ("practitioner", ["Practitioner", "Practitioner role", "Role of practitioner", "Professional", "Role"]),
    ("event", ["Event", "Event/contact", "Type of contact", "Event type", "Contact type", "Nature of contact"]),
    ("details", ["Details", "Details of contact", "Description", "Summary", "Narrative", "What happened"]),
    ("outcome", ["Action / Outcome", "Outcome", "Action taken", "Action/outcome", "ACTION - OUTCOME", "Actions"]),
    ("comment", ["Comment", "Comments/analysis", "IMR author comment", "Analysis", "IMR author's comments"]),
    ("significant", ["Significant", "Key event", "Significant event (Y/N)", "Significant?", "key  event"]),
]


@pytest.mark.parametrize(("key", "aliases"), HEADER_ALIASES, ids=[key for key, _ in HEADER_ALIASES])
def test_every_common_heading_for_a_column_is_recognised(key, aliases):
    for alias in aliases:
        assert column_for_header(alias) == key, alias
        assert column_for_header(f"  {alias.upper()}  ") == key, alias


def test_a_file_headed_with_aliases_maps_every_column_and_remembers_the_headings():
    header = (
        "Date of contact,Time of contact,Persons involved,Source of information,Role of practitioner,"
        "Event/contact,Details of contact,Action taken,Comments/analysis,Key event\n"
    )
    data = csv_bytes("9/8/2010,14:30,Mrs B; Child 1,GP record,GP,Home visit,Seen at home,None,Fine,Y", header=header)

    result = parse_chronology_file(data)

    assert result.ok, messages(result)
    assert list(result.columns) == list(COLUMNS)
    assert result.columns["comment"] == "Comments/analysis"
    [row] = result.rows
    assert (row.date_start, row.time, row.people) == (D(2010, 8, 9), T(14, 30), ["Mrs B", "Child 1"])
    assert (row.source, row.practitioner, row.event) == ("GP record", "GP", "Home visit")
    assert (row.details, row.outcome, row.comment, row.significant) == ("Seen at home", "None", "Fine", True)


def test_every_column_has_the_label_the_product_uses():
    assert set(COLUMN_LABELS) == set(COLUMNS)
    assert COLUMN_LABELS["people"] == "Person(s)"
    assert COLUMN_LABELS["outcome"] == "Action / Outcome"


def test_an_unknown_column_is_reported_not_silently_dropped():
    data = csv_bytes("9/8/2010,Seen,GP notes,PC 123", header="Date,Details,Source,Officer name\n")

    result = parse_chronology_file(data)

    assert result.ok
    [warning] = result.warnings
    assert warning == ImportIssue(
        None, "Officer name", 'Column "Officer name" is not a chronology column and will not be imported', "warning"
    )
    assert str(warning) == 'Column "Officer name" is not a chronology column and will not be imported'


def test_a_file_without_a_date_column_is_an_error_listing_the_columns_found():
    data = csv_bytes("Tuesday,Seen", header="When did it happen,Details\n")

    result = parse_chronology_file(data)

    assert not result.ok
    assert result.rows == []
    assert 'There is no Date column; the header row (row 1) has "When did it happen", "Details"' in messages(result)
    [error] = result.errors
    assert (error.row, error.column) == (None, "Date")


def test_a_title_row_above_the_header_is_pointed_out():
    data = b"Agency chronology for Family B\n\nDate,Details,Source\n9/8/2010,Seen,GP\n"

    result = parse_chronology_file(data)

    assert "Row 3 looks like the header row: delete the rows above it so the header is the first row" in (
        messages(result)
    )


def test_two_columns_meaning_the_same_thing_is_an_error():
    data = csv_bytes("9/8/2010,Seen,a,b", header="Date,Details,Comment,Analysis\n")

    result = parse_chronology_file(data)

    assert messages(result) == ['Columns "Comment" and "Analysis" are both the Comment column: keep one']
    assert result.rows == []


def test_a_file_without_a_source_column_is_warned_once_not_once_a_row():
    data = csv_bytes("9/8/2010,Seen", "10/8/2010,Seen again", header="Date,Details\n")

    result = parse_chronology_file(data)

    assert len(result.rows) == 2
    assert messages(result) == ["There is no Source column: each entry should name the record it comes from"]


def test_values_under_a_blank_heading_are_reported():
    data = b"Date,Details,,Source\n9/8/2010,Seen,,GP\n10/8/2010,Seen,lost words,GP\n"

    result = parse_chronology_file(data)

    assert result.ok
    assert messages(result) == ["Column C has no heading, so its values (the first is in row 3) will not be imported"]


def test_a_header_with_no_entries_below_it_is_an_error():
    result = parse_chronology_file(HEADER.encode())

    assert messages(result) == ["There are no entries below the header row (row 1)"]


# --- Encodings and CSV layout ---------------------------------------------------------------------


def test_a_windows_1252_csv_reads_curly_quotes_dashes_and_pounds_without_mojibake():
    details = "Mother said \u201cI\u2019m fine\u201d \u2013 paid \u00a320 rent; caf\u00e9"
    data = csv_bytes(f'9/8/2010,Housing,"{details}"', header="Date,Source,Details\n", encoding="cp1252")
    assert b"\x93" in data and b"\x96" in data and b"\xa3" in data

    result = parse_chronology_file(data)

    assert result.encoding == "cp1252"
    assert result.rows[0].details == details


def test_a_byte_windows_1252_leaves_undefined_is_read_as_latin_1_rather_than_refusing_the_file():
    data = b"Date,Source,Details\r\n9/8/2010,GP,Seen \x81 at home \x93ok\x94\r\n"

    result = parse_chronology_file(data)

    assert result.encoding == "cp1252"
    assert result.rows[0].details == "Seen \x81 at home \u201cok\u201d"


def test_a_utf_8_csv_with_a_byte_order_mark_keeps_its_first_heading():
    data = "\ufeffDate,Source,Details\n9/8/2010,GP,Caf\u00e9 \u2013 seen\n".encode()

    result = parse_chronology_file(data)

    assert result.encoding == "utf-8-sig"
    assert result.columns["date"] == "Date"
    assert result.rows[0].details == "Caf\u00e9 \u2013 seen"


def test_a_plain_utf_8_csv_is_utf_8():
    result = parse_chronology_file("Date,Source,Details\n9/8/2010,GP,Caf\u00e9\n".encode())

    assert result.encoding == "utf-8"
    assert result.rows[0].details == "Caf\u00e9"


def test_a_semicolon_separated_csv_is_read_even_with_commas_in_the_text():
    data = b"Date;Source;Details;Person(s)\n09/08/2010;GP;Seen, spoke to mother, no concerns;Mrs B; \n"

    result = parse_chronology_file(data)

    assert result.ok, messages(result)
    assert result.rows[0].details == "Seen, spoke to mother, no concerns"
    assert result.rows[0].people == ["Mrs B"]


def test_a_tab_separated_file_is_read():
    result = parse_chronology_file(b"Date\tSource\tDetails\n09/08/2010\tGP\tSeen, at home\n")

    assert result.rows[0].details == "Seen, at home"


def test_an_excel_sep_line_names_the_delimiter_and_is_not_a_row():
    result = parse_chronology_file(b"sep=;\nDate;Details;Source\n09/08/2010;Seen;GP\nnot a date;Seen;GP\n")

    assert result.rows[0].details == "Seen"
    assert [(issue.row, issue.column) for issue in result.errors] == [(3, "Date")]


def test_quoted_fields_keep_their_newlines_and_delimiters_and_rows_count_as_excel_shows_them():
    data = (
        b'Date,Source,Details\r\n9/8/2010,GP,"Line one,\r\nline two ""quoted""\r\nline three"\r\n31/02/2012,GP,Seen\r\n'
    )

    result = parse_chronology_file(data)

    assert result.rows[0].details == 'Line one,\nline two "quoted"\nline three'
    # The multi-line record is one row in Excel, so the bad date is on row 3 (not line 5).
    assert messages(result) == ['row 3, Date: "31/02/2012" is not a real date']


def test_blank_rows_are_skipped_but_still_counted_in_row_numbers():
    data = b"\r\nDate,Source,Details\r\n9/8/2010,GP,Seen\r\n\r\n,,\r\n  ,\t, \r\n31/02/2012,GP,Seen\r\n"

    result = parse_chronology_file(data)

    assert [row.row for row in result.rows] == [3]
    assert messages(result) == ['row 7, Date: "31/02/2012" is not a real date']


def test_a_quote_that_is_never_closed_is_reported_at_its_row():
    data = b'Date,Source,Details\n9/8/2010,GP,Seen\n10/8/2010,GP,"Never closed\n' + b"x" * 200_000 + b"\n"

    result = parse_chronology_file(data)

    [error] = result.errors
    assert error.row == 3
    assert 'a quote mark (") that is never closed' in str(error)


# --- XLSX -------------------------------------------------------------------------------------


def test_an_xlsx_reads_date_cells_time_cells_text_dates_and_numbers():
    data = xlsx_bytes(
        {
            "Sheet1": [
                ["Date", "Time", "Person(s)", "Source", "Details", "Significant", "Event"],
                [datetime.datetime(2010, 8, 9), T(14, 30), "Mrs B;Child 1", "GP", "Seen", True, "Home visit"],
                ["Summer 2017", None, None, 12345, "Moved", "x", 3.0],
                ["??/05/2012", "09:05", None, "Police", 42.5, "n", None],
                [2010, None, None, "Police", "A year", None, None],
                [datetime.datetime(2011, 1, 2, 16, 45), None, None, "Police", "Arrest", 1, None],
            ]
        }
    )

    result = parse_chronology_file(data, filename="chronology.xlsx")

    assert result.ok, messages(result)
    assert result.sheet == "Sheet1"
    assert result.encoding is None
    first, summer, may, year, arrest = result.rows
    assert (first.date_start, first.precision, first.date_display, first.time) == (
        D(2010, 8, 9),
        "day",
        "9 Aug 2010",
        T(14, 30),
    )
    assert (first.people, first.significant, first.event) == (["Mrs B", "Child 1"], True, "Home visit")
    assert (summer.date_start, summer.date_end, summer.precision) == (D(2017, 6, 1), D(2017, 8, 31), "season")
    assert (summer.source, summer.event, summer.significant) == ("12345", "3", True)
    assert (may.date_start, may.date_end, may.precision, may.date_display) == (
        D(2012, 5, 1),
        D(2012, 5, 31),
        "month",
        "May 2012",
    )
    assert (may.time, may.details, may.significant) == (T(9, 5), "42.5", False)
    assert (year.date_start, year.date_end, year.precision) == (D(2010, 1, 1), D(2010, 12, 31), "year")
    # A date-and-time cell keeps its time when the Time column is blank.
    assert (arrest.date_start, arrest.time, arrest.significant) == (D(2011, 1, 2), T(16, 45), True)


def test_an_xlsx_counts_blank_rows_in_row_numbers():
    data = xlsx_bytes(
        {"Chronology": [[], ["Date", "Details", "Source"], ["9/8/2010", "Seen", "GP"], [], ["bad", "x", "GP"]]}
    )

    result = parse_chronology_file(data)

    assert [row.row for row in result.rows] == [3]
    assert [(issue.row, issue.column) for issue in result.errors] == [(5, "Date")]


TWO_SHEETS = {
    "Notes": [["Written by", "IMR author"]],
    "Agency chronology": [["Date", "Details", "Source"], ["9/8/2010", "Seen", "GP"]],
}


def test_an_xlsx_sheet_can_be_chosen_by_name_in_any_case():
    result = parse_chronology_file(xlsx_bytes(TWO_SHEETS), sheet="AGENCY CHRONOLOGY")

    assert result.sheet == "Agency chronology"
    assert result.issues == []
    assert len(result.rows) == 1


def test_without_a_sheet_name_the_chronology_sheet_is_read_and_the_others_are_named():
    result = parse_chronology_file(xlsx_bytes(TWO_SHEETS))

    assert result.sheet == "Agency chronology"
    assert len(result.rows) == 1
    assert messages(result) == ['Read the sheet "Agency chronology"; the other sheets ("Notes") were not imported']
    assert result.warnings[0].row is None


def test_without_a_sheet_name_or_a_chronology_sheet_the_first_sheet_is_read():
    sheets = {"Police": [["Date", "Details", "Source"], ["9/8/2010", "Seen", "GP"]], "Lists": [["Y"], ["N"]]}

    result = parse_chronology_file(xlsx_bytes(sheets))

    assert result.sheet == "Police"
    assert messages(result) == ['Read the sheet "Police"; the other sheets ("Lists") were not imported']


def test_an_unknown_sheet_name_is_an_error_naming_the_sheets_there_are():
    result = parse_chronology_file(xlsx_bytes(TWO_SHEETS), sheet="Health")

    assert result.rows == []
    assert messages(result) == ['There is no sheet called "Health"; the sheets are "Notes", "Agency chronology"']
    assert not result.ok


def test_a_blank_sheet_is_an_error():
    result = parse_chronology_file(xlsx_bytes({"Chronology": []}))

    assert messages(result) == ['The sheet "Chronology" is blank']


# --- The DONE-WHEN case: every problem, by row and column, and nothing imported ----------------------

BAD_ROWS = [
    ["Date", "Time", "Source", "Details"],
    ["31/02/2012", "10:00", "GP", "Seen"],
    ["9/8/2010", "25:00", "GP", "Seen"],
    ["next Tuesday", "", "GP", "Seen"],
    ["10/8/2010", "", "GP", ""],
    ["11/8/2010", "", "GP", "The only good row"],
]
BAD_ROW_ERRORS = [
    'row 2, Date: "31/02/2012" is not a real date',
    'row 3, Time: "25:00" is not a time (use HH:MM, 24-hour)',
    'row 4, Date: "next Tuesday" is not a date casereview understands '
    "(for example 09/08/2010, August 2010, Summer 2017, c. 2004)",
    "row 5, Details: Details are required: what happened",
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_bad_rows_imports_nothing_and_names_every_problem_by_row_and_column(kind):
    if kind == "csv":
        data = "".join(",".join(row) + "\r\n" for row in BAD_ROWS).encode()
    else:
        data = xlsx_bytes({"Chronology": BAD_ROWS})

    result = parse_chronology_file(data)

    assert not result.ok
    assert messages(result) == BAD_ROW_ERRORS
    assert [(issue.row, issue.column) for issue in result.errors] == [
        (2, "Date"),
        (3, "Time"),
        (4, "Date"),
        (5, "Details"),
    ]
    assert all(issue.level == "error" for issue in result.issues)
    # Only the clean row parsed, and the caller imports nothing because the result is not ok.
    assert [row.row for row in result.rows] == [6]


def test_every_problem_in_one_row_is_reported_not_just_the_first():
    data = csv_bytes(",7pm,,,,,,,,maybe")

    result = parse_chronology_file(data)

    assert messages(result) == [
        "row 2, Date: Date is required: when it happened",
        'row 2, Time: "7pm" is not a time (use HH:MM, 24-hour)',
        "row 2, Source: Source is blank: name the record this comes from",
        "row 2, Details: Details are required: what happened",
        'row 2, Significant: "maybe" is not Y or N (leave it blank for N)',
    ]


# --- Files refused by their content -------------------------------------------------------------


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def zip_bomb_bytes() -> bytes:
    """A real workbook plus a 210 MB member of zeros that compresses to a few hundred kilobytes."""
    buffer = io.BytesIO(xlsx_bytes({"Chronology": [["Date", "Details"], ["9/8/2010", "Seen"]]}))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/media/padding.bin", "w", force_zip64=True) as member:
            chunk = bytes(MB)
            for _ in range(210):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (b"", "chronology.csv", "The file is empty."),
        (b"\r\n\r\n", "chronology.csv", "The file is empty."),
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "chronology.csv",
            "This is a PDF document, not a CSV or XLSX spreadsheet.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "chronology.xlsx",
            "This is an Excel 97-2003 (.xls) or other Office 97-2003 file: save it as .xlsx or CSV and upload that.",
        ),
        (docx_bytes(), "chronology.xlsx", "This is a zip archive (perhaps a Word document), not an XLSX workbook."),
        (b"\x89PNG\r\n\x1a\n" + bytes(20), "chronology.csv", "This is an image (PNG), not a CSV or XLSX spreadsheet."),
        (b"\xff\xd8\xff\xe0" + bytes(20), "chronology.csv", "This is an image (JPEG), not a CSV or XLSX spreadsheet."),
        (b"GIF89a" + bytes(20), "chronology.csv", "This is an image (GIF), not a CSV or XLSX spreadsheet."),
        (
            b"Date,Details\n\x00\x01\x02",
            "chronology.csv",
            "This file holds binary data, not the text of a CSV file or an XLSX workbook.",
        ),
        (
            b"PK\x03\x04 not really a zip",
            "chronology.xlsx",
            "This zip archive is damaged: it cannot be opened as an XLSX workbook.",
        ),
    ],
    ids=["empty", "blank", "pdf", "xls", "docx", "png", "jpeg", "gif", "nul", "damaged-zip"],
)
def test_a_file_that_is_not_a_chronology_spreadsheet_is_refused_by_its_content(data, filename, reason):
    with pytest.raises(FileRefused) as refused:
        parse_chronology_file(data, filename=filename)

    assert str(refused.value) == reason


def test_a_file_over_the_size_limit_is_refused_saying_both_sizes():
    data = b"Date,Details\n" + b"x" * int(12.3 * MB - 13)

    with pytest.raises(FileRefused) as refused:
        parse_chronology_file(data)

    assert str(refused.value) == "The file is 12.3 MB; the limit is 10 MB."


def test_a_workbook_that_would_unpack_to_hundreds_of_megabytes_is_refused_unopened():
    data = zip_bomb_bytes()
    assert len(data) < MB

    with pytest.raises(FileRefused) as refused:
        parse_chronology_file(data)

    assert str(refused.value) == "The workbook unpacks to 210.1 MB; the limit is 50 MB."


def damaged_xlsx_bytes(member: str, damage) -> bytes:
    data = xlsx_bytes({"Chronology": [["Date", "Details", "Source"]] + [["9/8/2010", "Seen", "GP"]] * 50})
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as damaged:
        for info in source.infolist():
            content = source.read(info)
            damaged.writestr(info, damage(content) if info.filename == member else content)
    return buffer.getvalue()


def test_a_workbook_too_damaged_to_open_is_refused():
    data = damaged_xlsx_bytes("xl/workbook.xml", lambda content: b"<workbook")

    with pytest.raises(FileRefused) as refused:
        parse_chronology_file(data)

    assert str(refused.value) == (
        "This XLSX workbook is damaged and cannot be read: open it in Excel, save it again and upload that."
    )


def test_a_sheet_damaged_part_way_through_is_an_error_naming_the_sheet_and_nothing_is_read():
    data = damaged_xlsx_bytes("xl/worksheets/sheet1.xml", lambda content: content[: len(content) // 2])

    result = parse_chronology_file(data)

    assert not result.ok
    assert result.rows == []
    assert messages(result) == [
        'The sheet "Chronology" is damaged and cannot be read: '
        "open the workbook in Excel, save it again and upload that"
    ]


def test_the_file_name_never_decides_the_type():
    data = csv_bytes("9/8/2010,,,GP,,,Seen,,,")

    assert parse_chronology_file(data, filename="chronology.xlsx").rows[0].details == "Seen"
    assert parse_chronology_file(xlsx_bytes(TWO_SHEETS), filename="chronology.csv").sheet == "Agency chronology"


# --- One row: the rules the browser's entry form shares -------------------------------------------


def test_row_from_cells_turns_a_typed_entry_into_a_parsed_row():
    cells = {
        "date": " 9 August 2010 ",
        "time": "9:05",
        "people": " Mrs B ;; Child 1 ; ",
        "source": "Police log 123",
        "practitioner": "PC",
        "event": "Domestic incident",
        "details": "Called out.\r\nNo arrest.\r",
        "outcome": "DASH risk assessment",
        "comment": "",
        "significant": "Yes",
    }

    parsed, issues = row_from_cells(cells, row=7)

    assert issues == []
    assert parsed is not None
    assert (parsed.row, parsed.date_start, parsed.date_end, parsed.date_display) == (
        7,
        D(2010, 8, 9),
        D(2010, 8, 9),
        "9 Aug 2010",
    )
    assert (parsed.time, parsed.people, parsed.details) == (T(9, 5), ["Mrs B", "Child 1"], "Called out.\nNo arrest.")
    assert parsed.significant is True


def test_row_from_cells_reports_an_impossible_date_with_its_row_and_column():
    parsed, issues = row_from_cells({"date": "31/02/2012", "details": "Seen", "source": "GP"}, row=7)

    assert parsed is None
    assert [str(issue) for issue in issues] == ['row 7, Date: "31/02/2012" is not a real date']


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("14:30", T(14, 30)), ("9:05", T(9, 5)), ("14:30:15", T(14, 30, 15)), ("14.30", T(14, 30)), (14.3, T(14, 30))],
)
def test_times_are_read_in_the_forms_agencies_type(typed, expected):
    parsed, _ = row_from_cells({"date": "9/8/2010", "time": typed, "details": "Seen", "source": "GP"}, row=2)

    assert parsed is not None and parsed.time == expected


@pytest.mark.parametrize("typed", ["25:00", "14:60", "2pm", "1430", "14:3", "noon"])
def test_a_time_that_is_not_hh_mm_is_an_error(typed):
    parsed, issues = row_from_cells({"date": "9/8/2010", "time": typed, "details": "Seen", "source": "GP"}, row=4)

    assert parsed is None
    assert [str(issue) for issue in issues] == [f'row 4, Time: "{typed}" is not a time (use HH:MM, 24-hour)']


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("", False), (None, False), ("Y", True), ("yes", True), ("TRUE", True), ("1", True), ("x", True), ("X", True)]
    + [("n", False), ("No", False), ("false", False), ("0", False), (True, True), (0, False)],
)
def test_significant_is_read_as_yes_or_no(typed, expected):
    parsed, _ = row_from_cells({"date": "9/8/2010", "details": "Seen", "source": "GP", "significant": typed}, row=2)

    assert parsed is not None and parsed.significant is expected


@pytest.mark.parametrize(
    ("key", "limit"),
    [("source", 255), ("practitioner", 255), ("event", 255), ("people", 1000), ("details", 20_000)]
    + [("outcome", 20_000), ("comment", 20_000)],
)
def test_a_value_over_its_length_limit_is_an_error_naming_the_limit(key, limit):
    cells = {"date": "9/8/2010", "details": "Seen", "source": "GP", key: "x" * (limit + 1)}

    parsed, issues = row_from_cells(cells, row=2)

    assert parsed is None
    assert [str(issue) for issue in issues] == [
        f"row 2, {COLUMN_LABELS[key]}: {COLUMN_LABELS[key]} is {limit + 1:,} characters long; the limit is {limit:,}"
    ]
    assert row_from_cells({**cells, key: "x" * limit}, row=2)[0] is not None


def test_a_blank_source_is_a_warning_and_the_row_still_parses():
    parsed, issues = row_from_cells({"date": "May 2012", "details": "Seen"}, row=3)

    assert parsed is not None and parsed.precision == "month"
    assert issues == [ImportIssue(3, "Source", "Source is blank: name the record this comes from", "warning")]


def test_an_issue_reads_with_as_much_place_as_it_has():
    assert str(ImportIssue(7, "Date", "x", "error")) == "row 7, Date: x"
    assert str(ImportIssue(7, None, "x", "error")) == "row 7: x"
    assert str(ImportIssue(None, "Date", "x", "error")) == "x"


# --- Whatever arrives, the answer is a result or a refusal ----------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from(
        [b"", b"Date,Details,Source,Time,Significant\n", b"PK\x03\x04", b"\xef\xbb\xbfDate;Details\n"]
    ),
    body=st.one_of(st.binary(max_size=2000), st.text(max_size=500).map(lambda text: text.encode("utf-8"))),
)
def test_any_bytes_give_a_result_or_a_refusal_never_a_crash(prefix, body):
    try:
        result = parse_chronology_file(prefix + body)
    except FileRefused as refused:
        assert str(refused)
    else:
        assert isinstance(result, ParseResult)
