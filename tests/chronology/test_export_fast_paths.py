"""The exports' fast paths (streamed XLSX rows, the one-entry-a-line JSON, the publication
check's first reading of each distinct text) write and check what the slower ones did: a few
hundred entries with formula-like cells and a registered name."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from chronology.exports.data import ExportLink
from chronology.exports.formats import CHRONOLOGY_SHEET, chronology_csv, chronology_json, chronology_xlsx
from reviews.publication import Person, Publication, Register
from reviews.publication.distinct import distinct_texts
from reviews.publication.files import file_parts
from tests.chronology.test_exports import FORMULA_PAYLOADS, make_chronology, make_entry

REGISTER = Register([Person("Jade Marsh", ("Jadey",), "the victim")])
RENDER = {"xlsx": chronology_xlsx, "csv": chronology_csv, "json": chronology_json}


def chronology(*, name_at: int | None = None):
    """300 entries, a formula payload in every free-text field of each; `name_at`: the entry
    whose comment names the victim."""
    entries = []
    for seq in range(1, 301):
        payload = FORMULA_PAYLOADS[seq % len(FORMULA_PAYLOADS)]
        entries.append(
            make_entry(
                seq,
                datetime.date(2010, 1, 1) + datetime.timedelta(days=seq),
                agency=f"Agency {seq % 7}",
                event=payload,
                details=f"{payload} visit {seq}",
                outcome=payload,
                comment="Seen with Jade Marsh at home." if seq == name_at else "",
            )
        )
    return make_chronology(entries)


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_the_distinct_texts_are_exactly_the_texts_of_the_files_parts(fmt):
    data = RENDER[fmt](chronology(name_at=150))

    assert distinct_texts(fmt, data) == {(part.text, part.address) for part in file_parts(fmt, data) if part.text}


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_a_clean_file_passes_and_a_registered_name_in_one_cell_is_found_where_it_is(fmt):
    assert Publication(REGISTER).check_file(fmt, RENDER[fmt](chronology()), fmt.upper()) == []

    found = Publication(REGISTER).check_file(fmt, RENDER[fmt](chronology(name_at=150)), fmt.upper())

    assert [finding.hit.found for finding in found] == ["Jade Marsh"]
    where = found[0].where.label
    expected = {"xlsx": "cell N151", "csv": "CSV row 151, column 14", "json": "$.entries[149].comment"}[fmt]
    assert expected in where, where


def test_every_streamed_xlsx_row_is_escaped_and_read_back_as_written():
    sheet = load_workbook(io.BytesIO(chronology_xlsx(chronology(name_at=150))))[CHRONOLOGY_SHEET]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))

    assert len(rows) == 300 and sheet.max_row == 301
    for seq, row in enumerate(rows, start=1):
        payload = FORMULA_PAYLOADS[seq % len(FORMULA_PAYLOADS)]
        assert row[0] == seq
        assert row[2].date() == datetime.date(2010, 1, 1) + datetime.timedelta(days=seq)  # a date cell
        assert row[10] == "'" + payload  # event
        assert row[11] == "'" + f"{payload} visit {seq}"  # details
    assert rows[149][13] == "Seen with Jade Marsh at home."
    for row in sheet.iter_rows():
        assert not [cell.coordinate for cell in row if cell.data_type == "f"]


def test_csv_and_json_of_the_same_entries_keep_their_shape_and_escaping():
    source = chronology(name_at=150)
    rows = list(csv.reader(io.StringIO(chronology_csv(source).decode("utf-8-sig"), newline="")))
    document = json.loads(chronology_json(source))

    assert len(rows) == 301 and len(document["entries"]) == 300
    assert rows[1][10] == "'" + FORMULA_PAYLOADS[1]
    assert document["entries"][0]["event"] == FORMULA_PAYLOADS[1]  # JSON is data, not a spreadsheet
    assert list(document) == ["review", "built_at", "entries", "gaps", "episodes"]
    assert [entry["seq"] for entry in document["entries"]] == list(range(1, 301))


def test_a_name_run_together_in_one_cell_is_found_as_well_as_a_name_among_many_plain_cells():
    """The check reads the texts with a capital after a small letter apart from the rest: both
    kinds of finding are still made, each in its own cell."""
    rows = [f"Home visit {number}" for number in range(1, 501)] + ["#JusticeForJadeMarsh", "Seen with Jade Marsh."]
    found = Publication(REGISTER).check_file("csv", "\r\n".join(rows).encode(), "CSV file")

    assert sorted(finding.where.label for finding in found) == [
        "CSV file, CSV row 501, column 1",
        "CSV file, CSV row 502, column 1",
    ]


def test_the_checks_ascii_reading_of_a_capital_after_a_small_letter_is_the_texts_own():
    """The check of many texts sets apart the ASCII ones where the check reads a text a second
    time: it must mean by that exactly what the check does."""
    from reviews.publication.pipeline import _ASCII_CAMEL_RE
    from reviews.publication.text import _CAMEL_RE

    pairs = [chr(a) + chr(b) for a in range(128) for b in range(128)]
    assert [p for p in pairs if bool(_ASCII_CAMEL_RE.search(p)) != bool(_CAMEL_RE.search(p))] == []
    assert _ASCII_CAMEL_RE.search("JusticeForJade") and not _ASCII_CAMEL_RE.search("Justice for Jade")


TEXTS = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "time": st.none() | st.times(),
                "people": st.lists(TEXTS, max_size=3),
                "details": TEXTS,
                "comment": TEXTS,
                "significant": st.booleans(),
                "episode": st.none() | TEXTS,
                "links": st.lists(st.builds(ExportLink, TEXTS, st.integers(1, 10**6), TEXTS), max_size=3),
            }
        ),
        max_size=5,
    )
)
def test_each_json_entry_is_the_line_the_standard_library_writes_for_its_documented_keys(fields: list[dict]):
    """The JSON export writes each entry's line itself: it is what json.dumps writes for the
    entry's keys in their documented order, whatever the text holds (quotes, back slashes,
    control characters, line separators, emoji)."""
    entries = [
        make_entry(seq, datetime.date(2010, 1, 1) + datetime.timedelta(days=seq), **entry)
        for seq, entry in enumerate(fields, start=1)
    ]
    lines = [line.strip().removesuffix(",") for line in chronology_json(make_chronology(entries)).decode().split("\n")]

    expected = [
        json.dumps(
            {
                "seq": e.seq,
                "date_start": e.date_start.isoformat(),
                "date_end": e.date_end.isoformat(),
                "precision": e.precision,
                "date_display": e.date_display,
                "time": e.time.strftime("%H:%M") if e.time else None,
                "agency": e.agency,
                "people": e.people,
                "source": e.source,
                "practitioner": e.practitioner,
                "event": e.event,
                "details": e.details,
                "outcome": e.outcome,
                "comment": e.comment,
                "significant": e.significant,
                "in_scope": e.in_scope,
                "links": [{"kind": link.kind, "seq": link.seq, "status": link.status} for link in e.links],
                "episode": e.episode,
            },
            ensure_ascii=False,
            separators=(", ", ": "),
        )  # fmt: skip
        for e in entries
    ]
    assert [line for line in lines if line.startswith('{"seq": ')] == expected


CSV_TEXTS = st.text(alphabet=st.sampled_from(["a", "Z", " ", ",", '"', "\r", "\n", "=", "+", "-", "@", "\t", "é", ";"]))


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "time": st.none() | st.times(),
                "agency": CSV_TEXTS,
                "people": st.lists(CSV_TEXTS, max_size=3),
                "source": CSV_TEXTS,
                "event": CSV_TEXTS,
                "details": CSV_TEXTS,
                "comment": CSV_TEXTS,
                "episode": st.none() | CSV_TEXTS,
                "links": st.lists(st.builds(ExportLink, st.sampled_from(["date_conflict", "x,y"]), st.integers(1, 99),
                                            CSV_TEXTS), max_size=2),
            }
        ),
        max_size=5,
    )
)  # fmt: skip
def test_the_csv_export_is_what_the_csv_writer_writes_for_each_entrys_safe_cells(fields: list[dict]):
    """The CSV export writes each row itself: it is what the standard library's csv writer writes
    for the entry's cells, each text made safe, whatever the text holds (commas, quotes, line
    breaks, formula triggers)."""
    from casereview.spreadsheets import FORMULA_TRIGGERS, spreadsheet_safe
    from chronology.exports.formats import COLUMNS, LINK_LABELS

    def safe(text: str) -> str:
        return str(spreadsheet_safe(text)) if text.startswith(FORMULA_TRIGGERS) else text

    entries = [
        make_entry(seq, datetime.date(2010, 1, 1) + datetime.timedelta(days=seq), **entry)
        for seq, entry in enumerate(fields, start=1)
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _width in COLUMNS])
    for e in entries:
        links = "; ".join(f"{LINK_LABELS.get(link.kind, link.kind)} {link.seq} ({link.status})" for link in e.links)
        writer.writerow([
            e.seq, safe(e.date_display), e.date_start.isoformat(), e.date_end.isoformat(), safe(e.precision),
            e.time.strftime("%H:%M") if e.time else "", safe(e.agency), safe("; ".join(e.people)), safe(e.source),
            safe(e.practitioner), safe(e.event), safe(e.details), safe(e.outcome), safe(e.comment),
            "Yes" if e.significant else "No", "Yes" if e.in_scope else "No", safe(e.episode or ""), safe(links),
        ])  # fmt: skip

    assert chronology_csv(make_chronology(entries)) == buffer.getvalue().encode("utf-8-sig")
