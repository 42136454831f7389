"""Reads for an agency's chronology pages, and the blank template agencies fill in."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet

from chronology.importers import blank_template as blank
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


BLANK_TEMPLATES = {
    "xlsx": (blank.template_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": (blank.template_csv, "text/csv; charset=utf-8"),
}


def blank_template(fmt: str) -> tuple[bytes, str] | None:
    """The blank chronology template in this format, with its content type; None for a format there is none in."""
    if fmt not in BLANK_TEMPLATES:
        return None
    make, content_type = BLANK_TEMPLATES[fmt]
    return make(), content_type
