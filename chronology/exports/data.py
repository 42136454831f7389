"""The integrated chronology as plain data: what the exports, the timeline picture and the
JSON shape in PRODUCT.md section 6 are made from.

Built from the database by chronology.exports.build, with names already replaced by
designations when the export is for anyone outside the panel; the renderers (the formats, the
timeline picture) never see a model."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from reviews.labels import PERSONAL_DATA


class ExportLink(NamedTuple):
    """A link of an entry (a tuple: a large chronology has hundreds of thousands of them)."""

    kind: str  # "possible_duplicate" or "date_conflict"
    seq: int  # the other entry
    status: str  # "suggested", "confirmed" or "dismissed"


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which makes building
# the 100,000 entries of a large chronology four times slower. Nothing changes them once built.
@dataclass(slots=True)
class ExportEntry:
    seq: int  # 1-based position in the integrated order
    date_start: datetime.date
    date_end: datetime.date
    precision: str  # day, month, season, year, approximate, range
    date_display: str
    time: datetime.time | None
    agency: str
    people: list[str]
    source: str
    practitioner: str
    event: str
    details: str
    outcome: str
    comment: str
    significant: bool
    in_scope: bool  # inside the review period
    episode: str | None = None  # the key practice episode it falls in, if any
    links: list[ExportLink] = field(default_factory=list)


@dataclass(frozen=True)
class ExportGap:
    start: datetime.date
    end: datetime.date
    days: int


@dataclass(frozen=True)
class ExportEpisode:
    title: str
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class ExportChronology:
    reference: str
    review_type: str  # dhr, cspr, rapid, sar, scr
    review_type_label: str  # "Domestic Homicide Review"
    case_name: str
    partnership: str
    scope_start: datetime.date
    scope_end: datetime.date
    built_at: datetime.datetime  # aware, UTC
    version: int
    names: str  # "designations" or "real"
    agencies: list[str]
    entries: list[ExportEntry]
    gaps: list[ExportGap]
    episodes: list[ExportEpisode]
    # Protective marking for the running header (reviews.labels.protective_marking).
    marking: str

    @property
    def before_period(self) -> str:
        """ "64 entries before the review period, 2000 to 2008" (the timeline counts them, not
        draws them: chronology.integrated.timeline_zoom); "" when none are."""
        before = [e for e in self.entries if e.date_end < self.scope_start]
        if not before:
            return ""
        return before_period_text(
            len(before), min(e.date_start for e in before).year, max(e.date_end for e in before).year
        )

    @property
    def personal_data(self) -> str:
        """ "Contains personal data" beside the marking of a real-names export; nothing otherwise."""
        return PERSONAL_DATA if self.names == "real" else ""


def before_period_text(count: int, first_year: int, last_year: int) -> str:
    """ "64 entries before the review period, 2000 to 2008" """
    years = str(first_year) if first_year == last_year else f"{first_year} to {last_year}"
    entries = "1 entry" if count == 1 else f"{count:,} entries"
    return f"{entries} before the review period, {years}"
