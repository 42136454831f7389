"""reviews.publication.files: every part of a finished file is read for the check, not only the
text a reader sees on the page."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import Workbook

from casereview.pdf import html_to_pdf
from reviews.publication import Person, Publication, Register
from reviews.publication.files import file_parts

REGISTER = Register([Person("Zoë O'Brien-Smith", ("Zed",), "the victim"), Person("Kai Rafiq", (), "Child 1")])


def _found(fmt: str, data: bytes) -> list[tuple[str, str]]:
    run = Publication(REGISTER)
    return [(finding.where.label, finding.hit.found) for finding in run.check_file(fmt, data, fmt.upper())]


def test_a_name_only_in_a_pdf_link_address_is_found():
    html = (
        '<html><head><title>Report</title></head><body><p>See <a href="https://news.example/'
        'mark-stone-jailed-for-murder-of-zoe-obrien-smith">the press report</a>.</p></body></html>'
    )
    found = _found("pdf", html_to_pdf(html).data)
    assert any(where == "PDF, PDF link address" for where, _ in found), found
    assert not any(where.startswith("PDF, PDF page") for where, _ in found)  # not in the page text


def test_a_name_in_the_pdf_title_outline_and_metadata_is_found():
    html = "<html><head><title>Kai's review</title></head><body><h1>About Kai</h1><p>Text.</p></body></html>"
    found = _found("pdf", html_to_pdf(html).data)
    wheres = [where for where, _ in found]
    assert wheres.count("PDF, PDF title or outline entry") == 2  # the document's title and its bookmark
    assert "PDF, PDF page 1" in wheres


def _docx(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    runs = "<w:r><w:t>13.1</w:t></w:r><w:r><w:t>Rafiq said</w:t></w:r>"
    body = f"<w:document {w}><w:body><w:p>{runs}</w:p></w:body></w:document>"
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", body)
        for name, xml in parts.items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def test_every_part_of_a_word_file_is_read():
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    data = _docx(
        {
            "word/comments.xml": (
                f"<w:comments {w}><w:comment><w:p><w:r><w:t>Ask Zed</w:t></w:r></w:p></w:comment></w:comments>"
            ),
            "word/_rels/document.xml.rels": (
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId9" Type="hyperlink" Target="https://x.example/zoe_obrien" TargetMode="External"/>'
                "</Relationships>"
            ),
            "docProps/core.xml": (
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Kai</dc:title></cp:coreProperties>'
            ),
            "docProps/app.xml": '<Properties xmlns="x"><Company>Rafiq Ltd</Company></Properties>',
        }
    )
    wheres = {where for where, _ in _found("docx", data)}
    assert "DOCX, Word file, body paragraph 1" in wheres  # "13.1Rafiq": glued to its number
    assert "DOCX, Word file, comments" in wheres
    assert "DOCX, Word file, _rels/document.xml.rels (Target)" in wheres
    assert "DOCX, Word file, docProps/core" in wheres
    assert "DOCX, Word file, docProps/app" in wheres


def test_every_cell_sheet_name_and_property_of_a_workbook_is_read():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rafiq"
    sheet.append(["Date", "Details"])
    sheet.append(["2012", "Seen with Zo\u00adë"])
    workbook.properties.title = "Kai"
    buffer = io.BytesIO()
    workbook.save(buffer)
    wheres = {where for where, _ in _found("xlsx", buffer.getvalue())}
    assert {"XLSX, XLSX sheet name", "XLSX, XLSX sheet Rafiq, cell B2", "XLSX, XLSX file, docProps/core"} <= wheres


def test_every_cell_of_a_csv_and_every_string_of_a_json_file_is_read():
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["seq", "details"], ["1", "Kai rang"]])
    assert [where for where, _ in _found("csv", buffer.getvalue().encode())] == ["CSV, CSV row 2, column 2"]
    data = json.dumps({"entries": [{"people": ["Child 1", "Zed"], "Rafiq": "x"}]}).encode()
    wheres = sorted(where for where, _ in _found("json", data))
    assert wheres == ["JSON, JSON $.entries[0].people[1]", "JSON, JSON key at $.entries[0]"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_clean_file_passes(fmt):
    data = b"seq,details\n1,Child 1 rang\n" if fmt == "csv" else b'{"details": "Child 1 rang"}'
    assert _found(fmt, data) == []


def _pypdf_strings(pdf: bytes) -> set[str]:
    """Every text string in the PDF's object tree, as pypdf reads it."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, ByteStringObject, DictionaryObject, IndirectObject, TextStringObject

    reader = PdfReader(io.BytesIO(pdf))
    found: set[str] = set()
    seen: set[int] = set()
    stack: list[object] = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            obj = obj.get_object()
        if isinstance(obj, TextStringObject):
            found.add(str(obj))
        elif isinstance(obj, ByteStringObject):
            found.add(bytes(obj).decode("latin-1"))
        elif isinstance(obj, DictionaryObject):
            stack.extend(value for key, value in obj.items() if key not in ("/Parent", "/P", "/Pg"))
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return {text for text in found if text.strip()}


@pytest.mark.django_db
def test_the_pdf_strings_read_are_those_another_pdf_reader_finds(world):
    from reports.render import document_html, render_input
    from tests.reports.render_fixtures import make_document, paragraphs

    body = paragraphs(3) + '<p>See <a href="https://example.org/a-b(c)">the (guidance) \\ here</a>.</p><h3>Sub</h3>'
    document = make_document(world, sections=[("Introduction", body), ("Zoë’s “quotes”", paragraphs(2))])
    pdf = html_to_pdf(document_html(render_input(document, publication=False))).data
    ours = {part.text for part in file_parts("pdf", pdf) if not part.where.startswith(("PDF page", "PDF metadata"))}
    assert _pypdf_strings(pdf) == ours
    assert "https://example.org/a-b(c)" in ours and "2. Zoë’s “quotes”" in " ".join(ours)


@pytest.mark.parametrize("write_only", [False, True])  # shared strings, and inline strings as exports write
def test_the_workbook_cells_read_are_those_openpyxl_reads(write_only):
    from openpyxl import load_workbook

    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Chronology") if write_only else workbook.active
    rows = [["Seq", "Details", "When"], [1, "Kai & <Zoë> \u201cquoted\u201d", "2012"], [2, "", "=\"text\""],
            [3, "line\nbreak", 4.5]]  # fmt: skip
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    ours = {
        (p.where.rsplit("cell ", 1)[-1], p.text) for p in file_parts("xlsx", buffer.getvalue()) if "cell " in p.where
    }
    theirs = set()
    for found in load_workbook(io.BytesIO(buffer.getvalue())).worksheets:
        for row in found.iter_rows():
            theirs |= {(cell.coordinate, cell.value) for cell in row if isinstance(cell.value, str) and cell.value}
    assert ours == theirs


def test_a_date_of_birth_in_a_real_date_cell_is_found():
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Seq", "Date"])
    sheet.append([32946, datetime.date(1990, 3, 14)])  # 32946 is that day's serial number: a number here
    buffer = io.BytesIO()
    workbook.save(buffer)
    register = Register([Person("Kai Rafiq", (), "Child 1", datetime.date(1990, 3, 14))])
    found = Publication(register).check_file("xlsx", buffer.getvalue(), "XLSX")
    assert [(f.where.label, f.kind) for f in found] == [("XLSX, XLSX sheet Sheet, cell B2", "date of birth")]
