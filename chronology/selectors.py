"""Reads for an agency's chronology pages, and the blank template agencies fill in."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet

from chronology.importers import ParsedRow, ParseResult
from chronology.importers import blank_template as blank
from chronology.importers import filled_template as filled
from chronology.models import ChronologyEntry
from reviews.models import Imr

# An agency's chronology is shown a page at a time: 40,000 entries on one page made 88 MB.
PAGE_SIZE = 100

# Date order; on the same day and time the agency's own order, and the id last so that every
# entry has one place. An entry without a time comes after the timed ones of its day (as
# PostgreSQL sorts NULL by default, so on both databases alike).
ENTRY_ORDER = (F("date_start").asc(), F("time").asc(nulls_last=True), F("position").asc(), F("pk").asc())


def imr_entries(imr: Imr) -> QuerySet[ChronologyEntry]:
    return ChronologyEntry.objects.filter(imr=imr).order_by(*ENTRY_ORDER)


def imr_entries_page(imr: Imr, number: int | str | None) -> Page:
    """One page of the chronology. A page number that is not a number gives the first page, one
    past the end the last: a link kept from before entries were deleted still shows something.
    The database sorts and skips only the entries' ids and dates; the page's 100 entries are then
    read whole (sorting every entry with its text made page 200 of 40,000 take seconds)."""
    page: Page[Any] = Paginator(imr_entries(imr).values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    by_id = ChronologyEntry.objects.in_bulk(ids)
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page


def entry_rank(entry: ChronologyEntry) -> int:
    """How many entries of its IMR come before this one in ENTRY_ORDER (one COUNT)."""
    same_day = Q(date_start=entry.date_start)
    if entry.time is None:
        same_time = Q(time__isnull=True)
        earlier_time = Q(time__isnull=False)
    else:
        same_time = Q(time=entry.time)
        earlier_time = Q(time__lt=entry.time)
    earlier_in_order = Q(position__lt=entry.position) | Q(position=entry.position, pk__lt=entry.pk)
    before = Q(date_start__lt=entry.date_start) | (same_day & earlier_time) | (same_day & same_time & earlier_in_order)
    return ChronologyEntry.objects.filter(imr_id=entry.imr_id).filter(before).count()


def entry_page_number(entry: ChronologyEntry) -> int:
    return entry_rank(entry) // PAGE_SIZE + 1


def imr_entry_count(imr: Imr) -> int:
    """How many entries the chronology has (an import asks before replacing them)."""
    return imr.entries.count()


# What makes two entries the same entry: everything the author wrote (the date as the span and
# precision it stands for; its display follows from them).
DUPLICATE_FIELDS = (
    "date_start",
    "date_end",
    "precision",
    "time",
    "people",
    "source",
    "practitioner",
    "event",
    "details",
    "outcome",
    "comment",
    "significant",
)


def _key(values: Iterable[object]) -> bytes:
    """A digest of the values (a list as a tuple): a chronology of 40,000 entries is checked
    without holding all their text, and two digests are equal only for equal values."""
    key = tuple(tuple(value) if isinstance(value, list) else value for value in values)
    return hashlib.blake2b(repr(key).encode(), digest_size=20).digest()


def row_key(row: ParsedRow) -> bytes:
    """A row of a file as a duplicate-check key: equal for exact duplicates, and only for them."""
    return _key(getattr(row, name) for name in DUPLICATE_FIELDS)


@dataclass(frozen=True)
class ImportPlan:
    """What importing a checked file would do: "add" puts in ``to_add`` (the rows that are neither
    an entry already in the chronology nor a repeat of an earlier row of the file); "replace"
    deletes the ``existing`` entries and puts in every row."""

    existing: int
    rows: int
    to_add: list[ParsedRow] = field(default_factory=list)
    already_in: list[int] = field(default_factory=list)  # row numbers, as the file numbers them
    repeated: list[int] = field(default_factory=list)

    @property
    def skipped(self) -> list[int]:
        return sorted([*self.already_in, *self.repeated])


def import_plan(imr: Imr, result: ParseResult) -> ImportPlan:
    """What "add" and "replace" would do with the file's rows, against the chronology as it is now."""
    existing: set[bytes] = set()
    count = 0
    for values in imr.entries.values_list(*DUPLICATE_FIELDS).iterator(chunk_size=5000):
        existing.add(_key(values))
        count += 1
    plan = ImportPlan(existing=count, rows=len(result.rows))
    seen: set[bytes] = set()
    for row in result.rows:
        key = row_key(row)
        if key in existing:
            plan.already_in.append(row.row)
        elif key in seen:
            plan.repeated.append(row.row)
        else:
            seen.add(key)
            plan.to_add.append(row)
    return plan


def own_chronology(imr: Imr, fmt: str) -> tuple[bytes, str] | None:
    """The agency's chronology in the import template, in date order, with its content type;
    None for a format there is none in."""
    if fmt not in OWN_CHRONOLOGY:
        return None
    make, content_type = OWN_CHRONOLOGY[fmt]
    return make(imr_entries(imr).iterator(chunk_size=2000)), content_type


BLANK_TEMPLATES = {
    "xlsx": (blank.template_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (blank.template_csv, "text/csv; charset=utf-8"),
}


OWN_CHRONOLOGY = {
    "xlsx": (filled.chronology_xlsx, BLANK_TEMPLATES["xlsx"][1]),
    "csv": (filled.chronology_csv, BLANK_TEMPLATES["csv"][1]),
}


def blank_template(fmt: str) -> tuple[bytes, str] | None:
    """The blank chronology template in this format, with its content type; None for a format there is none in."""
    if fmt not in BLANK_TEMPLATES:
        return None
    make, content_type = BLANK_TEMPLATES[fmt]
    return make(), content_type
