"""Gaps in agency contact: stretches of the review period with no entry from any agency.

PRODUCT.md section 3 is the specification. Pure: MergeRows in date order in, GapSpans out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from casereview.months import add_months
from chronology.integrated.rows import MergeRow

# An entry spanning more than this (a year, "c. 2004") is too vague to show contact on particular days.
COVERAGE_SPAN_DAYS = 92


@dataclass(frozen=True)
class GapSpan:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def find_gaps(
    ordered: list[MergeRow], scope_start: datetime.date, scope_end: datetime.date, threshold_months: int
) -> list[GapSpan]:
    """Stretches inside the review period, longer than the threshold, with no entry from any
    agency. Vague entries (spanning more than a season) do not count as contact."""
    gaps: list[GapSpan] = []
    covered_until = scope_start - datetime.timedelta(days=1)
    for row in ordered:
        if row.span_days > COVERAGE_SPAN_DAYS or row.date_end < scope_start:
            continue
        if row.date_start > scope_end:
            break
        _maybe_gap(gaps, covered_until + datetime.timedelta(days=1), row.date_start, threshold_months)
        covered_until = max(covered_until, row.date_end)
    after_scope = scope_end + datetime.timedelta(days=1)
    _maybe_gap(gaps, covered_until + datetime.timedelta(days=1), after_scope, threshold_months)
    return gaps


def _maybe_gap(gaps: list[GapSpan], start: datetime.date, next_contact: datetime.date, threshold_months: int) -> None:
    """A gap from `start` up to the day before the next contact, if longer than the threshold."""
    end = next_contact - datetime.timedelta(days=1)
    if end > start and end >= add_months(start, threshold_months):
        gaps.append(GapSpan(start, end))
