"""An integrated entry's texts as a designations export publishes them. Every text (each field
of each entry, the people, episode titles, agency names and the case name) goes through one
publication run (reviews.publication): names replaced by designations, fields the chair
redacted become "[Redacted]", and what remains is a finding that names the entry and field.

The integrated chronology's pages show an entry with designations through the same class, so
the page and the export never disagree on what a field says."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from chronology.integrated.rows import entry_fingerprint
from reviews.publication import Publication, Where

# The fields of an entry that are text, in the order a finding lists them.
TEXT_FIELDS = ("source", "practitioner", "event", "details", "outcome", "comment")


class EntryDates(NamedTuple):
    start: datetime.date
    end: datetime.date
    precision: str
    display: str


def month_of(start: datetime.date, end: datetime.date) -> EntryDates:
    """An entry's dates to the month (or months) they fall in."""
    first = start.replace(day=1)
    following = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    last = following - datetime.timedelta(days=1)
    if (first.year, first.month) == (last.year, last.month):
        return EntryDates(first, last, "month", f"{first:%b %Y}")
    return EntryDates(first, last, "range", f"{first:%b %Y} to {last:%b %Y}")


class PublishableEntry(Protocol):
    """What publishing reads of an entry: an IntegratedEntry, a row of one as an export reads
    it (chronology.exports.build.EntryRow), or an EntryToPublish."""

    @property
    def seq(self) -> int: ...
    @property
    def agency_id(self) -> int: ...
    @property
    def agency_name(self) -> str: ...
    @property
    def date_start(self) -> datetime.date: ...
    @property
    def date_end(self) -> datetime.date: ...
    @property
    def precision(self) -> str: ...
    @property
    def date_display(self) -> str: ...
    @property
    def people(self) -> list[str]: ...
    @property
    def source(self) -> str: ...
    @property
    def practitioner(self) -> str: ...
    @property
    def event(self) -> str: ...
    @property
    def details(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def comment(self) -> str: ...


class EntryToPublish(NamedTuple):
    """An entry that is not (yet) in an integrated chronology, numbered as it would be there."""

    seq: int
    agency_id: int
    agency_name: str
    date_start: datetime.date
    date_end: datetime.date
    precision: str
    date_display: str
    people: list[str]
    source: str
    practitioner: str
    event: str
    details: str
    outcome: str
    comment: str


@dataclass(slots=True)
class PublishedEntry:
    """An entry's texts as they are shown or exported."""

    agency: str
    people: list[str]
    source: str
    practitioner: str
    event: str
    details: str
    outcome: str
    comment: str
    # Set when the chair redacted the entry's date: the month (or months) it falls in.
    dates: EntryDates | None = None


class PublishedEntries:
    """Every text of a designations export through one publication run, each with the entry
    and field it came from. Acknowledgements and redactions are kept against the agency entry
    the integrated entry was copied from (its fingerprint), so they hold across rebuilds and
    apply wherever that entry is published (a footnote cites it by the same scope)."""

    def __init__(self, run: Publication):
        self.run = run
        self.agencies: dict[str, str] = {}

    def text(self, text: str, label: str, scope: str, *, sentence_case: bool = True) -> str:
        return self.run.text(text, Where(label, scope, group="Integrated chronology"), sentence_case=sentence_case)

    def entry(self, entry: PublishableEntry) -> PublishedEntry:
        """One entry's text fields (and its people, date and agency) as published."""
        fingerprint = entry_fingerprint(entry.agency_id, entry.date_start, entry.date_end, entry.precision,
                                        entry.details)  # fmt: skip
        # The month only: an entry's day may be a date of birth, and labels go in the audit trail.
        place = f"entry #{entry.seq} ({entry.agency_name}, {month_of(entry.date_start, entry.date_end).display})"
        texts = {
            name: self.text(getattr(entry, name), f"{place}, {name}", f"entry:{fingerprint}:{name}")
            for name in TEXT_FIELDS
        }
        # The people as one text (a redaction takes the whole list), designations as registered.
        people = self.text("; ".join(entry.people), f"{place}, person(s)", f"entry:{fingerprint}:people",
                           sentence_case=False)  # fmt: skip
        dates = self._dates(entry, place, fingerprint)
        return PublishedEntry(
            agency=self._agency(entry), people=[person for person in people.split("; ") if person], dates=dates,
            **texts,
        )  # fmt: skip

    def _dates(self, entry: PublishableEntry, place: str, fingerprint: str) -> EntryDates | None:
        """The month the entry falls in when the chair redacted its date (a birth recorded on the
        day it happened: the order and the episode still read, the day of birth does not);
        otherwise None, once the date is checked."""
        where = Where(f"{place}, date", f"entry:{fingerprint}:date", group="Integrated chronology")
        if self.run.is_redacted(where, entry.date_display):
            return month_of(entry.date_start, entry.date_end)
        self.run.check(entry.date_display, where)
        return None

    def _agency(self, entry: PublishableEntry) -> str:
        """The agency's name as published, checked once per export."""
        name = entry.agency_name
        if name not in self.agencies:
            self.agencies[name] = self.text(name, f"agency name (entry #{entry.seq})", f"agency:{entry.agency_id}:name")
        return self.agencies[name]
