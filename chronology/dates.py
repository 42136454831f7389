"""Read the dates agencies write in their chronologies.

UK day-first, forgiving about case, spacing, dashes and ordinals, strict about the calendar: a
date that cannot exist is an error, never silently rolled over. Pure: no Django, no database.

Every date is a span (start and end, both inclusive) with a precision, so "May 2012" and
"12/05/2012" can be sorted, compared and shown without pretending to know more than the agency
wrote down.
"""

import calendar
import datetime
import re
from dataclasses import dataclass
from enum import StrEnum


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    SEASON = "season"
    YEAR = "year"
    APPROXIMATE = "approximate"
    RANGE = "range"


@dataclass(frozen=True)
class ParsedDate:
    start: datetime.date  # inclusive
    end: datetime.date  # inclusive
    precision: Precision
    display: str  # normalised, e.g. "May 2012" and never "01/05/2012"


class DateParseError(ValueError):
    """The reason with the value quoted and no row/column prefix: the importer adds those."""


MIN_YEAR, MAX_YEAR = 1900, 2100
EXAMPLES = "for example 09/08/2010, August 2010, Summer 2017, c. 2004"
EN_DASH = "\u2013"

MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = "january february march april may june july august september october november december".split()
# Written out rather than read from `calendar.month_name`, which follows the server's locale.
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS |= {abbr.lower(): number for number, abbr in enumerate(MONTH_ABBREVIATIONS, 1)}
_MONTHS |= {"sept": 9}

# First month of each; a season is three whole months, a third of a year four.
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON_NAMES = {3: "Spring", 6: "Summer", 9: "Autumn", 12: "Winter"}
_THIRDS = {"early": 1, "mid": 5, "late": 9}

_Span = tuple[datetime.date, datetime.date, Precision]


class _Rejected(Exception):
    """A form was recognised but cannot stand; `suffix` follows the quoted value in the message."""

    def __init__(self, suffix: str) -> None:
        super().__init__(suffix)
        self.suffix = suffix


_NOT_REAL = " is not a real date"
_YEAR_RANGE = f": the year must be between {MIN_YEAR} and {MAX_YEAR}"
_BACKWARDS = " ends before it starts"

# Building blocks, matched against the normalised text (lower case, single spaces, "-" for dashes).
# re.ASCII keeps \d to 0-9, so int() only ever sees digits we mean.
_D = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"  # 9, 09, 9th
_MON = r"(?P<m>[a-z]+)\.?"  # any word; _MONTHS decides whether it is a month ("Smarch" is not)
_Y = r"(?P<y>\d{4}|\d{2})"
_Y4 = r"(?P<y>\d{4})"
_UNKNOWN = r"(?:\?{1,2}|x{1,2})"  # the ?? or xx agencies put where they do not know the day


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.ASCII)


_DAY_NUMERIC = _re(rf"(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<mo>\d{{1,2}})(?P=sep){_Y}")  # 09/08/2010, 9.8.10
_DAY_ISO = _re(r"(?P<y>\d{4})(?P<sep>[/.-])(?P<mo>\d{1,2})(?P=sep)(?P<d>\d{1,2})")  # 2010-08-09
_DAY_WORDS = _re(rf"{_D}(?: of)?[ /-]?{_MON}[ /-]?{_Y}")  # 9th August 2010, 09-Aug-10 (Excel's d-mmm-yy)
_DAY_MONTH_FIRST = _re(rf"{_MON} {_D} {_Y4}")  # August 9 2010 (the comma went in _normalise)
_WEEKDAY = _re(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)"
    r"\.? (?P<rest>.+)"
)
_MONTH_WORDS = _re(rf"{_MON}[ /-]?{_Y4}")  # August 2010, Aug-2010
_MONTH_UNKNOWN_DAY = _re(rf"{_UNKNOWN}(?P<sep>[/.-])(?P<mo>\d{{1,2}})(?P=sep){_Y}")  # ??/08/2010
_MONTH_NUMERIC = _re(rf"(?P<mo>\d{{1,2}})[/.-]{_Y4}")  # 08/2010
_MONTH_ISO = _re(r"(?P<y>\d{4})-(?P<mo>\d{1,2})")  # 2010-08
_SEASON = _re(rf"(?P<season>spring|summer|autumn|fall|winter)(?: of)?[ -]?{_Y4}(?:[/-](?P<y2>\d{{4}}|\d{{2}}))?")
_THIRD = _re(rf"(?P<third>early|mid|late)[ -]?{_Y4}")  # early 2012, mid-2012
_YEAR = _re(rf"(?:{_UNKNOWN}[/.-]{_UNKNOWN}[/.-])?{_Y4}")  # 2010, ??/??/2010
_CIRCA = _re(r"(?:approximately|approx|circa|around|about|ca|c)(?:\. ?| |(?=\d))(?P<rest>.+)")
# One end of a range, borrowing the month and year it leaves out from the other end.
_PARTIAL_DAY = _re(_D)  # the "1" of "between 1 and 15 May 2012"
_PARTIAL_DAY_MONTH = _re(rf"{_D}(?: of)?[ /-]?{_MON}")  # the "1 May" of "1 May - 15 June 2012"
_PARTIAL_NUMERIC = _re(r"(?P<d>\d{1,2})/(?P<mo>\d{1,2})")  # the "01/05" of "01/05 - 15/05/2012"
_PARTIAL_MONTH = _re(_MON)  # the "May" of "May to June 2012"
_RANGE_PREFIX = _re(r"(?P<word>between|from) (?P<rest>.+)")
_SEPARATOR = _re(r" ?- ?| to | until | till ")
_SEPARATOR_AFTER_BETWEEN = _re(r" ?- ?| and | to ")

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-") | {",": " "})


def parse_date(text: str, *, today: datetime.date | None = None) -> ParsedDate:
    """The span an agency's written date stands for; `today` only sets the two-digit-year pivot."""
    shown = text.strip()
    normalised = _normalise(text)
    if not normalised:
        raise DateParseError("a date is required")
    # A two-digit year up to next year's is this century: "9/8/26" in 2025 is 2026, "9/8/27" is 1927.
    pivot = (today or datetime.date.today()).year % 100 + 1
    try:
        span = _parse(normalised, pivot, ranges=True)
    except _Rejected as exc:
        raise DateParseError(f'"{shown}"{exc.suffix}') from None
    if span is None:
        raise DateParseError(f'"{shown}" is not a date casereview understands ({EXAMPLES})')
    start, end, precision = span
    return ParsedDate(start, end, precision, format_date(start, end, precision))


def date_from_cell(value: datetime.date | datetime.datetime) -> ParsedDate:
    """A real date cell from an XLSX file: the spreadsheet knows the day, so day precision."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    display = format_date(day, day, Precision.DAY)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise DateParseError(f'"{display}"{_YEAR_RANGE}')
    return ParsedDate(day, day, Precision.DAY, display)


def format_date(start: datetime.date, end: datetime.date, precision: Precision) -> str:
    """The normalised display; parse_date() reads it back to the same start, end and precision.

    Raises ValueError when the span does not fit the precision (a "month" that is not a whole
    month): that is a bug in the caller, not something to paper over on screen.
    """
    precision = Precision(precision)  # also accepts the plain string stored in the database
    if start > end:
        raise ValueError(f"{start} is after {end}")
    if precision is Precision.APPROXIMATE:
        for word, first_month in _THIRDS.items():
            if (start, end) == _months(start.year, first_month, 4):
                return f"{word.title()} {start.year}"
        return "c. " + format_date(start, end, _precision_of(start, end))
    if precision is Precision.RANGE:
        return _format_range(start, end)
    if _precision_of(start, end) is not precision:
        raise ValueError(f"{start} to {end} is not a single {precision}")
    if precision is Precision.DAY:
        return _day_text(start)
    if precision is Precision.MONTH:
        return _month_text(start)
    if precision is Precision.SEASON:
        return f"{_SEASON_NAMES[start.month]} {start.year}"
    return str(start.year)


def _normalise(text: str) -> str:
    # Lower case, one space between words (also eats Excel's non-breaking spaces), every kind of
    # dash as "-", no commas ("Aug 9, 2010", "Monday, 9 August"), no trailing full stop.
    text = " ".join(text.translate(_DASHES).lower().split())
    text = text.removesuffix(".").rstrip()
    return re.sub(r" ?/ ?", "/", text)  # "9 / 8 / 2010"


def _parse(text: str, pivot: int, *, ranges: bool) -> _Span | None:
    """Any form; `ranges` is off for the ends of a range, which cannot be ranges themselves."""
    # "c." keeps whatever span it wraps (c. 2004 is the year 2004) and only lowers precision. It
    # is stripped once, not recursively, so "c c c ... 2004" cannot exhaust the stack.
    circa = _CIRCA.fullmatch(text)
    inner = circa["rest"] if circa else text
    span = _parse_single(inner, pivot)
    if span is None and ranges:
        span = _parse_range(inner, pivot)
    if span and circa:
        return span[0], span[1], Precision.APPROXIMATE
    return span


def _parse_day(text: str, pivot: int) -> _Span | None:
    if m := _DAY_NUMERIC.fullmatch(text) or _DAY_ISO.fullmatch(text):
        return _day(_year(m["y"], pivot), int(m["mo"]), int(m["d"]))
    # A word where a month goes must be a month; if not ("Summer 2017"), the other forms get a go.
    if (m := _DAY_WORDS.fullmatch(text) or _DAY_MONTH_FIRST.fullmatch(text)) and (month := _MONTHS.get(m["m"])):
        return _day(_year(m["y"], pivot), month, int(m["d"]))
    return None


def _parse_single(text: str, pivot: int) -> _Span | None:
    if day := _parse_day(text, pivot):
        return day
    if m := _WEEKDAY.fullmatch(text):
        # The weekday is decoration; the date after it is what counts, even if they disagree.
        return _parse_day(m["rest"], pivot)
    if (m := _MONTH_WORDS.fullmatch(text)) and (month := _MONTHS.get(m["m"])):
        return _span(int(m["y"]), month, 1, Precision.MONTH)
    if m := _MONTH_UNKNOWN_DAY.fullmatch(text) or _MONTH_NUMERIC.fullmatch(text) or _MONTH_ISO.fullmatch(text):
        return _span(_year(m["y"], pivot), int(m["mo"]), 1, Precision.MONTH)
    if m := _SEASON.fullmatch(text):
        year = int(m["y"])
        # "Winter 2012/13" names both years it touches; nothing else may, and only the next year.
        if m["y2"] and (m["season"] != "winter" or m["y2"] not in (str(year + 1), f"{(year + 1) % 100:02}")):
            return None
        return _span(year, _SEASONS[m["season"]], 3, Precision.SEASON)
    if m := _THIRD.fullmatch(text):
        return _span(int(m["y"]), _THIRDS[m["third"]], 4, Precision.APPROXIMATE)
    if m := _YEAR.fullmatch(text):
        return _span(int(m["y"]), 1, 12, Precision.YEAR)
    return None


def _parse_range(text: str, pivot: int) -> _Span | None:
    separator = _SEPARATOR
    if prefixed := _RANGE_PREFIX.fullmatch(text):
        text = prefixed["rest"]
        separator = _SEPARATOR_AFTER_BETWEEN if prefixed["word"] == "between" else _SEPARATOR
    # "-" also sits inside single dates (2010-08-09 - 2010-08-15), so try every split and keep the
    # first that reads as two ends; an end that is recognised but wrong only counts if none does.
    first_error: _Rejected | None = None
    for split in separator.finditer(text):
        try:
            span = _join(text[: split.start()], text[split.end() :], pivot)
        except _Rejected as exc:
            first_error = first_error or exc
            continue
        if span:
            return span
    if first_error:
        raise first_error
    return None


def _join(left: str, right: str, pivot: int) -> _Span | None:
    last = _parse(right, pivot, ranges=False)
    if last is None:
        return None
    first = _parse(left, pivot, ranges=False) or _parse_partial(left, last)
    if first is None:
        return None
    if first[0] > last[1]:
        raise _Rejected(_BACKWARDS)
    return first[0], last[1], Precision.RANGE


def _parse_partial(text: str, last: _Span) -> _Span | None:
    """The start of a range that leaves out what the end says: "1" or "1 May" before a day, "May" before a month."""
    year, month = last[0].year, last[0].month
    if last[2] is Precision.DAY:
        if m := _PARTIAL_DAY.fullmatch(text):
            return _day(year, month, int(m["d"]))
        if m := _PARTIAL_NUMERIC.fullmatch(text):
            return _day(year, int(m["mo"]), int(m["d"]))
        if (m := _PARTIAL_DAY_MONTH.fullmatch(text)) and (named := _MONTHS.get(m["m"])):
            return _day(year, named, int(m["d"]))
    if last[2] is Precision.MONTH and (m := _PARTIAL_MONTH.fullmatch(text)) and (named := _MONTHS.get(m["m"])):
        return _span(year, named, 1, Precision.MONTH)
    return None


def _year(digits: str, pivot: int) -> int:
    if len(digits) == 4:
        return int(digits)
    return (2000 if int(digits) <= pivot else 1900) + int(digits)


def _check_year(year: int) -> None:
    # The year as written: "Winter 2100" is allowed even though it ends in February 2101.
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Rejected(_YEAR_RANGE)


def _day(year: int, month: int, day: int) -> _Span:
    _check_year(year)
    try:
        date = datetime.date(year, month, day)
    except ValueError:
        raise _Rejected(_NOT_REAL) from None
    return date, date, Precision.DAY


def _span(year: int, first_month: int, count: int, precision: Precision) -> _Span:
    _check_year(year)
    if not 1 <= first_month <= 12:
        raise _Rejected(_NOT_REAL)
    return *_months(year, first_month, count), precision


def _months(year: int, first_month: int, count: int) -> tuple[datetime.date, datetime.date]:
    """`count` whole months from the first of `first_month`, running into the next year if need be."""
    last = first_month - 1 + count - 1  # months after January of `year`
    end_year, end_month = year + last // 12, last % 12 + 1
    return datetime.date(year, first_month, 1), _month_end(end_year, end_month)


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _precision_of(start: datetime.date, end: datetime.date) -> Precision:
    """The narrowest named span that is exactly start to end, else RANGE."""
    if start == end:
        return Precision.DAY
    if start.day != 1:
        return Precision.RANGE
    if end == _month_end(start.year, start.month):
        return Precision.MONTH
    if start.month in _SEASON_NAMES and end == _months(start.year, start.month, 3)[1]:
        return Precision.SEASON
    if start.month == 1 and end == datetime.date(start.year, 12, 31):
        return Precision.YEAR
    return Precision.RANGE


def _format_range(start: datetime.date, end: datetime.date) -> str:
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{EN_DASH}{_day_text(end)}"  # 1–15 May 2012
    if start.day == 1 and end == _month_end(end.year, end.month):
        if start.year == end.year:
            return f"{MONTH_ABBREVIATIONS[start.month - 1]}{EN_DASH}{_month_text(end)}"  # May–Jun 2012
        if start.month == 1 and end.month == 12:
            return f"{start.year}{EN_DASH}{end.year}"  # 2010–2012
        return f"{_month_text(start)}{EN_DASH}{_month_text(end)}"  # Dec 2011–Jan 2012
    if start.year == end.year:
        return f"{start.day} {MONTH_ABBREVIATIONS[start.month - 1]}{EN_DASH}{_day_text(end)}"  # 1 May–15 Jun 2012
    return f"{_day_text(start)}{EN_DASH}{_day_text(end)}"  # 1 Dec 2011–15 Jan 2012


def _day_text(date: datetime.date) -> str:
    return f"{date.day} {_month_text(date)}"


def _month_text(date: datetime.date) -> str:
    return f"{MONTH_ABBREVIATIONS[date.month - 1]} {date.year}"
