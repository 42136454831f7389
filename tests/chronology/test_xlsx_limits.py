"""What an uploaded workbook may cost to read: its unpacked size and its sheet's cells are checked
from the zip before the workbook is opened, whatever the zip's directory claims.

Workbooks are made by hand here (a handful of XML parts), so each test controls every byte."""

import io
import struct
import zipfile

import pytest
from openpyxl import Workbook

from chronology.importers import FileRefused, parse_chronology_file

MB = 1024 * 1024
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: list[str], *, prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    namespace = f'xmlns{":" + prefix if prefix else ""}="{MAIN}"'
    return f"<{p}worksheet {namespace}><{p}sheetData>{''.join(rows)}</{p}sheetData></{p}worksheet>".encode()


CHRONOLOGY_ROWS = [
    f'<row r="1">{cell("A1", "Date")}{cell("B1", "Details")}{cell("C1", "Source")}</row>',
    f'<row r="2">{cell("A2", "9/8/2010")}{cell("B2", "Seen at home")}{cell("C2", "GP record")}</row>',
]


def handmade_xlsx(sheet: bytes, *, shared_strings_mb: int = 0, sheet_name: str = "Chronology") -> bytes:
    """A workbook of one sheet; with shared_strings_mb, a shared-strings part holding one string of
    that many megabytes of "x" (it deflates to about a thousandth of that)."""
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    )
    workbook = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
        f'<sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        f'<Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    )
    package_rels = (
        f'<Relationships xmlns="{PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<sst xmlns="{MAIN}"><si><t>'.encode())
            chunk = b"x" * MB
            for _ in range(shared_strings_mb):
                part.write(chunk)
            part.write(b"</t></si></sst>")
    return buffer.getvalue()


def directory_claims(data: bytes, member: str, size: int) -> bytes:
    """The same zip with the member's uncompressed size written as `size` in both its headers."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(member).header_offset
    patched = bytearray(data)
    struct.pack_into("<I", patched, local + 22, size)  # the local header's uncompressed size
    name = member.encode()
    central = patched.index(b"PK\x01\x02")
    while patched[central + 46 : central + 46 + len(name)] != name:
        central = patched.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", patched, central + 24, size)  # the central directory's
    return bytes(patched)


def test_a_handmade_workbook_reads_as_excel_would():
    result = parse_chronology_file(handmade_xlsx(sheet_xml(CHRONOLOGY_ROWS)))

    assert result.ok, [str(issue) for issue in result.issues]
    assert [(row.row, row.details, row.source) for row in result.rows] == [(2, "Seen at home", "GP record")]


def test_a_small_workbook_whose_shared_strings_unpack_past_the_limit_is_refused_saying_how_big():
    data = handmade_xlsx(sheet_xml(CHRONOLOGY_ROWS), shared_strings_mb=60)
    assert len(data) < MB // 4

    with pytest.raises(FileRefused) as refused:
        parse_chronology_file(data)

    assert str(refused.value) == "The workbook unpacks to 60.1 MB; the limit is 50 MB."


def test_a_workbook_whose_zip_directory_understates_a_part_is_measured_not_believed():
    data = directory_claims(
        handmade_xlsx(sheet_xml(CHRONOLOGY_ROWS), shared_strings_mb=60), "xl/sharedStrings.xml", 100
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sum(member.file_size for member in archive.infolist()) < MB

    with pytest.raises(FileRefused) as refused:
        parse_chronology_file(data)

    assert str(refused.value) == "The workbook unpacks to more than 50 MB, the limit."


def test_the_unpacked_limit_is_the_callers_to_set():
    data = handmade_xlsx(sheet_xml(CHRONOLOGY_ROWS), shared_strings_mb=3)

    assert parse_chronology_file(data).ok
    with pytest.raises(FileRefused) as refused:
        parse_chronology_file(data, max_unpacked_bytes=2 * MB)
    assert str(refused.value) == "The workbook unpacks to 3.1 MB; the limit is 2 MB."


def test_a_part_whose_size_does_not_match_its_directory_is_damaged():
    data = handmade_xlsx(sheet_xml(CHRONOLOGY_ROWS))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        real = archive.getinfo("xl/worksheets/sheet1.xml").file_size

    with pytest.raises(FileRefused) as refused:
        parse_chronology_file(directory_claims(data, "xl/worksheets/sheet1.xml", real + 1))

    assert str(refused.value).startswith("This XLSX workbook is damaged and cannot be read")


def test_a_sheet_using_the_last_cell_excel_has_is_refused_before_it_is_laid_out():
    """A1 and XFD1048576 in a file of a few kilobytes would be a grid of 17 billion cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Chronology"
    sheet.append(["Date", "Details"])
    sheet.append(["9/8/2010", "Seen"])
    sheet["XFD1048576"] = "stray"
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(FileRefused) as refused:
        parse_chronology_file(buffer.getvalue())

    assert str(refused.value) == (
        'The sheet "Chronology" uses cells up to XFD1048576: 1,048,576 rows by 16,384 columns is '
        "17,179,869,184 cells, and the limit is 2,000,000. Delete the rows and columns past the chronology "
        "(Ctrl+End in Excel goes to the last cell in use), save it and upload it again."
    )


def test_the_cell_limit_counts_rows_by_columns_up_to_the_last_cell_in_use():
    rows = [*CHRONOLOGY_ROWS, f'<row r="4">{cell("E4", "note")}</row>']  # 4 rows by 5 columns

    assert parse_chronology_file(handmade_xlsx(sheet_xml(rows)), max_cells=20).rows
    with pytest.raises(FileRefused) as refused:
        parse_chronology_file(handmade_xlsx(sheet_xml(rows)), max_cells=19)
    assert "uses cells up to E4: 4 rows by 5 columns is 20 cells, and the limit is 19." in str(refused.value)


def test_cells_without_references_are_counted_as_one_column_further_each():
    """Cells may leave out r (each then follows the one before): the check cannot be dodged that way."""
    rows = [
        "<row><c t='inlineStr'><is><t>Date</t></is></c><c t='inlineStr'><is><t>Details</t></is></c></row>",
        "<row><c t='inlineStr'><is><t>9/8/2010</t></is></c><c t='inlineStr'><is><t>Seen</t></is></c></row>",
    ]
    data = handmade_xlsx(sheet_xml(rows))

    assert [row.details for row in parse_chronology_file(data).rows] == ["Seen"]
    with pytest.raises(FileRefused):
        parse_chronology_file(data, max_cells=7)  # 2 rows by (at most) 4 columns


def test_a_namespace_prefix_does_not_hide_cells_from_the_check():
    rows = [
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Date</x:t></x:is></x:c>'
        '<x:c r="B1" t="inlineStr"><x:is><x:t>Details</x:t></x:is></x:c></x:row>',
        '<x:row r="900"><x:c r="Z900" t="inlineStr"><x:is><x:t>far</x:t></x:is></x:c></x:row>',
    ]

    with pytest.raises(FileRefused) as refused:
        parse_chronology_file(handmade_xlsx(sheet_xml(rows, prefix="x")), max_cells=1000)

    assert "uses cells up to Z900" in str(refused.value)


def test_columns_keep_their_letters_when_the_sheet_starts_to_the_right():
    rows = [
        f'<row r="1">{cell("B1", "Date")}{cell("C1", "Details")}{cell("D1", "Source")}</row>',
        f'<row r="2">{cell("B2", "9/8/2010")}{cell("C2", "Seen")}{cell("D2", "GP")}{cell("F2", "lost")}</row>',
    ]

    result = parse_chronology_file(handmade_xlsx(sheet_xml(rows)))

    assert [(row.row, row.details) for row in result.rows] == [(2, "Seen")]
    assert [str(issue) for issue in result.warnings] == [
        "Column F has no heading, so its values (the first is in row 2) will not be imported"
    ]
