"""A version's published entries are kept once made (chronology.exports.kept): another
designations export of it, in any format, does not publish them again; a change to the person
register or to the chair's decisions makes the next export publish them afresh, and texts
found clean under one register are never taken as clean under another."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest

from chronology.exports import kept
from chronology.exports.published import PublishedEntries
from chronology.exports.services import render_export
from chronology.models import ChronologyEntry
from reviews.models import Imr
from reviews.publication import Person, Publication, PublicationBlocked, Register
from tests.chronology.integrated_world import build
from tests.factories import EntryFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_kept():
    kept.kept_forget()
    yield
    kept.kept_forget()


@pytest.fixture
def entry(world) -> ChronologyEntry:
    entry = EntryFactory(
        imr=world.imr_a, date_start=datetime.date(2011, 5, 3), date_end=datetime.date(2011, 5, 3),
        date_display="3 May 2011", people=["Peter Grimes"], details="Seen at home with Bob Stone.",
    )  # fmt: skip
    Imr.objects.filter(pk__in=[world.imr_a.pk, world.imr_b.pk]).update(status=Imr.Status.ACCEPTED)
    return entry


@pytest.fixture
def victim(world):
    return PersonFactory(review=world.review, real_name="Peter Grimes", designation="the victim")


def published_entries(monkeypatch) -> list[int]:
    """Counts the entries published (one number per entry) from now on."""
    calls: list[int] = []
    entry = PublishedEntries.entry

    def counted(self, row):
        calls.append(row.seq)
        return entry(self, row)

    monkeypatch.setattr(PublishedEntries, "entry", counted)
    return calls


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def test_a_second_export_in_another_format_takes_the_kept_entries_and_writes_the_same_texts(
    world, entry, victim, monkeypatch
):
    chronology = build(world.review)
    calls = published_entries(monkeypatch)

    first = json.loads(render_export(chronology, fmt="json", names="designations"))
    published = list(calls)
    assert published == [e["seq"] for e in first["entries"]]
    second = csv_cells(render_export(chronology, fmt="csv", names="designations"))
    again = json.loads(render_export(chronology, fmt="json", names="designations"))

    assert calls == published  # published once, for the first export only
    assert first["entries"][0]["people"] == ["the victim"] and "the victim" in second
    assert first == again
    assert "Peter Grimes" not in json.dumps(first) and "Peter Grimes" not in second


def test_a_register_change_makes_the_next_export_use_the_new_designation(world, entry, victim, monkeypatch):
    chronology = build(world.review)
    assert json.loads(render_export(chronology, fmt="json", names="designations"))["entries"][0]["people"] == [
        "the victim"
    ]
    calls = published_entries(monkeypatch)

    victim.designation = "Adult A"
    victim.save()
    data = json.loads(render_export(chronology, fmt="json", names="designations"))

    assert calls == [e["seq"] for e in data["entries"]]  # published afresh
    assert data["entries"][0]["people"] == ["Adult A"]
    assert "the victim" not in csv_cells(render_export(chronology, fmt="csv", names="designations"))


def test_a_name_registered_after_an_export_is_replaced_in_the_next_one(world, entry, victim):
    chronology = build(world.review)
    assert (
        "Bob Stone" in json.loads(render_export(chronology, fmt="json", names="designations"))["entries"][0]["details"]
    )

    PersonFactory(review=world.review, real_name="Bob Stone", designation="the perpetrator")
    for fmt in ("json", "csv"):
        data = render_export(chronology, fmt=fmt, names="designations").decode("utf-8-sig")
        assert "Bob Stone" not in data and "the perpetrator" in data


def test_an_export_that_found_something_is_not_kept(world, entry, victim, monkeypatch):
    entry.comment = "Grimes said he was fine."
    entry.save()
    chronology = build(world.review)
    calls = published_entries(monkeypatch)

    with pytest.raises(PublicationBlocked, match="surname of the victim"):
        render_export(chronology, fmt="csv", names="designations")
    published = list(calls)
    with pytest.raises(PublicationBlocked, match="surname of the victim"):
        render_export(chronology, fmt="csv", names="designations")

    assert published and calls == published * 2  # checked again


def test_texts_found_clean_under_one_register_are_not_taken_as_clean_under_another():
    before = Publication(Register([Person("Peter Grimes", (), "the victim")]))
    assert before.clean_texts({"Seen at home with Bob Stone."}) == {"Seen at home with Bob Stone."}
    after = Publication(
        Register([Person("Peter Grimes", (), "the victim"), Person("Bob Stone", (), "the perpetrator")])
    )

    assert not after.add_clean(before.known_clean(), inputs_key=before.inputs_key)
    found = after.check_file("csv", b"Seen at home with Bob Stone.\r\n", "CSV file")
    assert [finding.hit.found for finding in found] == ["Bob Stone"]

    same = Publication(Register([Person("Peter Grimes", (), "the victim")]))
    assert same.add_clean(before.known_clean(), inputs_key=before.inputs_key)
    assert same.inputs_key == before.inputs_key != after.inputs_key


def test_texts_a_file_check_found_clean_are_not_checked_again_under_the_same_register(monkeypatch):
    register = Register([Person("Peter Grimes", (), "the victim")])
    first = Publication(register)
    assert first.check_file("csv", b"possible duplicate of 7 (suggested)\r\nSeen by Grimes.\r\n", "CSV file")
    assert "possible duplicate of 7 (suggested)" not in first.known_clean()  # a file with a finding adds none

    clean = Publication(register)
    assert not clean.check_file("csv", b"possible duplicate of 7 (suggested)\r\n", "CSV file")
    assert "possible duplicate of 7 (suggested)" in clean.known_clean()

    later = Publication(register)
    assert later.add_clean(clean.known_clean(), inputs_key=clean.inputs_key)
    checked: list[set] = []
    check_many = Publication._check_many
    monkeypatch.setattr(
        Publication, "_check_many", lambda self, values: checked.append(values) or check_many(self, values)
    )
    assert not later.check_file("csv", b"possible duplicate of 7 (suggested)\r\n", "CSV file")
    assert checked == [set()]
    found = later.check_file("csv", b"possible duplicate of 7 (suggested)\r\nSeen by Grimes.\r\n", "CSV file")
    assert [finding.hit.found for finding in found] == ["Grimes"]
