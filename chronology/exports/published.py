"""An integrated entry's texts as a designations export publishes them. Every text (each field
of each entry, the people, episode titles, agency names and the case name) goes through one
publication run (reviews.publication): names replaced by designations, fields the chair
redacted become "[Redacted]", and what remains is a finding that names the entry and field.

The integrated chronology's pages show an entry with designations through the same class, so
the page and the export never disagree on what a field says."""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple, Protocol, cast

from chronology.integrated.rows import entry_fingerprint
from reviews.publication import Publication, Where
from reviews.publication.characters import normalise, normalised_each

GROUP = "Integrated chronology"  # what the run counts an export's replacements under
SHORT_TEXT = 80  # a text this long or shorter is normalised once per export
# The fields of an entry that are text, in the order a finding lists them.
TEXT_FIELDS = ("source", "practitioner", "event", "details", "outcome", "comment")


SixTexts = tuple[str, str, str, str, str, str]  # an entry's TEXT_FIELDS


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


class _Places:
    """Where an entry's texts come from, worked out only for a text that needs it (most texts of
    a large export are found clean in a batch and need none)."""

    def __init__(self, entry: PublishableEntry) -> None:
        self.entry = entry

    @functools.cached_property
    def fingerprint(self) -> str:
        e = self.entry
        return entry_fingerprint(e.agency_id, e.date_start, e.date_end, e.precision, e.details)

    @functools.cached_property
    def place(self) -> str:
        # The month only: an entry's day may be a date of birth, and labels go in the audit trail.
        e = self.entry
        return f"entry #{e.seq} ({e.agency_name}, {month_of(e.date_start, e.date_end).display})"

    def of(self, label: str, scope: str = "") -> tuple[str, str]:
        """A field's label and the scope decisions on it are kept against."""
        return f"{self.place}, {label}", f"entry:{self.fingerprint}:{scope or label}"


class PublishedEntries:
    """Every text of a designations export through one publication run, each with the entry
    and field it came from. Acknowledgements and redactions are kept against the agency entry
    the integrated entry was copied from (its fingerprint), so they hold across rebuilds and
    apply wherever that entry is published (a footnote cites it by the same scope)."""

    def __init__(self, run: Publication):
        self.run = run
        self.agencies: dict[str, str] = {}
        # Texts checked in a batch and found clean (``entries``): published as they are. Only
        # without redactions: a redaction is found by each text's own scope.
        self.clean: set[str] = set()
        self.batched = not run.redactions()
        self.normalised: dict[str, str] = {}  # short texts repeat (an event, a designation)
        self.batch: dict[str, str] = {}  # the texts of the batch being published, normalised
        self.people_lists: dict[str, list[str]] = {}  # the people as published, listed

    def normalise(self, text: str) -> str:
        """``normalise``, once per export for a short text and once per batch for a long one
        (``entries`` and ``entry`` both read it)."""
        known = self.normalised.get(text) or self.batch.get(text)
        if known is None:
            known = normalise(text)
            (self.normalised if len(text) <= SHORT_TEXT else self.batch)[text] = known
        return known

    def entries(self, rows: Sequence[PublishableEntry]) -> list[PublishedEntry]:
        """``entry`` of each of ``rows`` in turn: the same texts, findings and replacements. In a
        batched run every distinct text of the rows is normalised once and all of them are checked
        in one pass (a large export's 800,000 texts, checked one by one, cost more than making the
        file); an entry whose texts were all found clean, and whose people were found clean or
        replaced before leaving nothing to find, is then published from them without working out
        its place, and any other goes through ``entry``, which sends the rest through the run one
        by one with the entry and field they came from."""
        self.batch = {}
        if not self.batched:
            return [self.entry(row) for row in rows]
        clean_as = self._prepare(rows)  # a text as written -> as published, for the clean ones
        text, normalised, clean, agencies = clean_as.get, self.batch, self.clean, self.agencies
        people_of: dict[str, list[str]] = {}  # the people as published, by their text normalised
        again: Counter[str] = Counter()  # people replaced before, published again from people_of
        published = []
        for row in rows:
            texts = (text(row.source), text(row.practitioner), text(row.event), text(row.details),
                     text(row.outcome), text(row.comment))  # fmt: skip
            agency = agencies.get(row.agency_name)
            if agency is not None and None not in texts and row.date_display in clean:
                key = normalised["; ".join(row.people)]
                people = people_of.get(key)
                if people is not None:
                    again[key] += 1
                elif (people := self._people_known(key)) is not None:  # counted as replaced when it is
                    people_of[key] = people
                if people is not None:
                    published.append(PublishedEntry(agency, list(people), *cast(SixTexts, texts)))
                    continue
            published.append(self.entry(row))
        for key, times in again.items():  # their replacements counted as ``entry`` counts them
            if key not in clean:
                self.known(key, sentence_case=False, times=times)
        return published

    def _prepare(self, rows: Sequence[PublishableEntry]) -> dict[str, str]:
        """Check every distinct text of the rows (normalised, as ``entry`` reads them) in one pass;
        the texts found clean, as written, with what each is published as (itself, normalised)."""
        written: set[str] = set()
        for name in TEXT_FIELDS:
            written.update(map(attrgetter(name), rows))
        written.update("; ".join(row.people) for row in rows)
        self.batch = normalised_each(written, self.normalise)  # a short text once per export
        self.clean = clean = self.run.clean_texts({"", *self.batch.values(), *map(attrgetter("date_display"), rows)})
        return {text: out for text, out in self.batch.items() if out in clean}

    def _people_known(self, normalised: str) -> list[str] | None:
        """An entry's people as published when the text of them (normalised) was found clean or
        was replaced before leaving nothing to find (its replacements counted again); else None."""
        people = normalised if normalised in self.clean else self.known(normalised, sentence_case=False)
        if people is None:
            return None
        listed = self.people_lists.get(people)
        if listed is None:
            listed = self.people_lists[people] = [person for person in people.split("; ") if person]
        return listed

    def known(self, normalised: str, *, sentence_case: bool = True, times: int = 1) -> str | None:
        """A text replaced earlier in this run leaving nothing to find (a designation in every
        entry's people): what it gave then, without working out the entry's place, counted
        ``times`` over. Only in a batched run (no redactions, which are found by each text's place)."""
        if not self.batched:
            return None
        return self.run.replaced_before(normalised, group=GROUP, sentence_case=sentence_case, times=times)

    def text(self, text: str, label: str, scope: str, *, sentence_case: bool = True) -> str:
        return self.run.text(text, Where(label, scope, group=GROUP), sentence_case=sentence_case)

    def entry(self, entry: PublishableEntry) -> PublishedEntry:
        """One entry's text fields (and its people, date and agency) as published: a text the
        batch found clean as it is (``entries``), any other through the run with its place."""
        clean, places, known = self.clean, _Places(entry), self.known
        texts = {}
        for name in TEXT_FIELDS:
            text = getattr(entry, name)
            normalised = self.normalise(text)
            if normalised in clean:
                texts[name] = normalised
            elif (out := known(normalised)) is not None:
                texts[name] = out
            else:
                texts[name] = self.text(text, *places.of(name))
        # The people as one text (a redaction takes the whole list), designations as registered.
        people = self.normalise("; ".join(entry.people))
        if people not in clean:
            out = known(people, sentence_case=False)
            if out is None:
                out = self.text("; ".join(entry.people), *places.of("person(s)", "people"), sentence_case=False)
            people = out
        dates = None if entry.date_display in clean else self._dates(entry, places.place, places.fingerprint)
        return PublishedEntry(
            agency=self._agency(entry), people=[person for person in people.split("; ") if person], dates=dates,
            **texts,
        )  # fmt: skip

    def _dates(self, entry: PublishableEntry, place: str, fingerprint: str) -> EntryDates | None:
        """The month the entry falls in when the chair redacted its date (a birth recorded on the
        day it happened: the order and the episode still read, the day of birth does not);
        otherwise None, once the date is checked."""
        where = Where(f"{place}, date", f"entry:{fingerprint}:date", group=GROUP)
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
