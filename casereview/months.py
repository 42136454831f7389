"""Calendar months: the one way a date moves on by months (statutory clocks, gaps in contact)."""

from __future__ import annotations

import calendar
import datetime


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later; the last day of the month when that month is shorter
    (31 August + 6 months = 28 or 29 February)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
