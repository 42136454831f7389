"""The date parser behind every chronology entry: what agencies write, what it means, how it shows.

Pure functions, so no database: the tables are real-world spellings, the properties keep
format_date and parse_date honest with each other over the whole 1900-2100 calendar.
"""

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chronology.dates import DateParseError, ParsedDate, Precision, date_from_cell, format_date, parse_date

D = datetime.date
DAY, MONTH, SEASON, YEAR = Precision.DAY, Precision.MONTH, Precision.SEASON, Precision.YEAR
APPROXIMATE, RANGE = Precision.APPROXIMATE, Precision.RANGE
# Fixed so the two-digit-year pivot does not move under the tests: up to 26 is 20yy, from 27 is 19yy.
TODAY = D(2025, 6, 1)
NOT_UNDERSTOOD = "is not a date casereview understands (for example 09/08/2010, August 2010, Summer 2017, c. 2004)"

GOOD = [
    # text, start, end, precision, display
    # Days, UK day-first.
    ("09/08/2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("9/8/2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("9.8.2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("09-08-2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("9/8/10", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("9/8/26", D(2026, 8, 9), D(2026, 8, 9), DAY, "9 Aug 2026"),
    ("9/8/27", D(1927, 8, 9), D(1927, 8, 9), DAY, "9 Aug 1927"),
    ("2010-08-09", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("9 August 2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("9 Aug 2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("9th August 2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("1st May 2012", D(2012, 5, 1), D(2012, 5, 1), DAY, "1 May 2012"),
    ("22nd Sept 2012", D(2012, 9, 22), D(2012, 9, 22), DAY, "22 Sep 2012"),
    ("August 9 2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("Aug 9, 2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("Monday 9 August 2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("Mon, 9 Aug 2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("09-Aug-10", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("  9 AUGUST 2010.  ", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("9   aug\t2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("9 / 8 / 2010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("9\u00a0Aug\u00a02010", D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010"),
    ("29/02/2012", D(2012, 2, 29), D(2012, 2, 29), DAY, "29 Feb 2012"),
    ("29/02/2000", D(2000, 2, 29), D(2000, 2, 29), DAY, "29 Feb 2000"),
    ("1/1/1900", D(1900, 1, 1), D(1900, 1, 1), DAY, "1 Jan 1900"),
    ("31/12/2100", D(2100, 12, 31), D(2100, 12, 31), DAY, "31 Dec 2100"),
    # Months: the whole month, shown as a month and never as its first day.
    ("August 2010", D(2010, 8, 1), D(2010, 8, 31), MONTH, "Aug 2010"),
    ("aug 2010", D(2010, 8, 1), D(2010, 8, 31), MONTH, "Aug 2010"),
    ("Sept 2012", D(2012, 9, 1), D(2012, 9, 30), MONTH, "Sep 2012"),
    ("??/08/2010", D(2010, 8, 1), D(2010, 8, 31), MONTH, "Aug 2010"),
    ("?/8/2010", D(2010, 8, 1), D(2010, 8, 31), MONTH, "Aug 2010"),
    ("xx/08/2010", D(2010, 8, 1), D(2010, 8, 31), MONTH, "Aug 2010"),
    ("XX/08/2010", D(2010, 8, 1), D(2010, 8, 31), MONTH, "Aug 2010"),
    ("08/2010", D(2010, 8, 1), D(2010, 8, 31), MONTH, "Aug 2010"),
    ("2010-08", D(2010, 8, 1), D(2010, 8, 31), MONTH, "Aug 2010"),
    ("February 2012", D(2012, 2, 1), D(2012, 2, 29), MONTH, "Feb 2012"),
    ("Feb 2013", D(2013, 2, 1), D(2013, 2, 28), MONTH, "Feb 2013"),
    # Seasons, northern hemisphere, meteorological.
    ("Summer 2017", D(2017, 6, 1), D(2017, 8, 31), SEASON, "Summer 2017"),
    ("autumn 2008", D(2008, 9, 1), D(2008, 11, 30), SEASON, "Autumn 2008"),
    ("Fall 2008", D(2008, 9, 1), D(2008, 11, 30), SEASON, "Autumn 2008"),
    ("SPRING 2015", D(2015, 3, 1), D(2015, 5, 31), SEASON, "Spring 2015"),
    ("Winter 2012", D(2012, 12, 1), D(2013, 2, 28), SEASON, "Winter 2012"),
    ("Winter 2011", D(2011, 12, 1), D(2012, 2, 29), SEASON, "Winter 2011"),
    ("winter 2011/12", D(2011, 12, 1), D(2012, 2, 29), SEASON, "Winter 2011"),
    # Years.
    ("2010", D(2010, 1, 1), D(2010, 12, 31), YEAR, "2010"),
    (" 2010. ", D(2010, 1, 1), D(2010, 12, 31), YEAR, "2010"),
    # Approximate: the span it wraps, flagged as uncertain.
    ("early 2012", D(2012, 1, 1), D(2012, 4, 30), APPROXIMATE, "Early 2012"),
    ("Mid 2012", D(2012, 5, 1), D(2012, 8, 31), APPROXIMATE, "Mid 2012"),
    ("mid-2012", D(2012, 5, 1), D(2012, 8, 31), APPROXIMATE, "Mid 2012"),
    ("LATE 2012", D(2012, 9, 1), D(2012, 12, 31), APPROXIMATE, "Late 2012"),
    ("c. 2004", D(2004, 1, 1), D(2004, 12, 31), APPROXIMATE, "c. 2004"),
    ("c 2004", D(2004, 1, 1), D(2004, 12, 31), APPROXIMATE, "c. 2004"),
    ("c.2004", D(2004, 1, 1), D(2004, 12, 31), APPROXIMATE, "c. 2004"),
    ("circa 2004", D(2004, 1, 1), D(2004, 12, 31), APPROXIMATE, "c. 2004"),
    ("approx. 2004", D(2004, 1, 1), D(2004, 12, 31), APPROXIMATE, "c. 2004"),
    ("approx 2004", D(2004, 1, 1), D(2004, 12, 31), APPROXIMATE, "c. 2004"),
    ("approximately 2004", D(2004, 1, 1), D(2004, 12, 31), APPROXIMATE, "c. 2004"),
    ("Around 2004", D(2004, 1, 1), D(2004, 12, 31), APPROXIMATE, "c. 2004"),
    ("c. May 2012", D(2012, 5, 1), D(2012, 5, 31), APPROXIMATE, "c. May 2012"),
    ("c. 9 August 2010", D(2010, 8, 9), D(2010, 8, 9), APPROXIMATE, "c. 9 Aug 2010"),
    ("circa summer 2017", D(2017, 6, 1), D(2017, 8, 31), APPROXIMATE, "c. Summer 2017"),
    ("c. 2004-2006", D(2004, 1, 1), D(2006, 12, 31), APPROXIMATE, "c. 2004\u20132006"),
    ("c. Jan-Apr 2012", D(2012, 1, 1), D(2012, 4, 30), APPROXIMATE, "Early 2012"),
    # Ranges: the start may leave out what the end says.
    ("between 1 and 15 May 2012", D(2012, 5, 1), D(2012, 5, 15), RANGE, "1\u201315 May 2012"),
    ("Between 1 May and 15 June 2012", D(2012, 5, 1), D(2012, 6, 15), RANGE, "1 May\u201315 Jun 2012"),
    ("between 1 May 2012 and 15 January 2013", D(2012, 5, 1), D(2013, 1, 15), RANGE, "1 May 2012\u201315 Jan 2013"),
    ("between 01/05/2012 and 15/05/2012", D(2012, 5, 1), D(2012, 5, 15), RANGE, "1\u201315 May 2012"),
    ("between 1st and 15th May 2012", D(2012, 5, 1), D(2012, 5, 15), RANGE, "1\u201315 May 2012"),
    ("1-15 May 2012", D(2012, 5, 1), D(2012, 5, 15), RANGE, "1\u201315 May 2012"),
    ("1\u201315 May 2012", D(2012, 5, 1), D(2012, 5, 15), RANGE, "1\u201315 May 2012"),
    ("1 \u2013 15 May 2012", D(2012, 5, 1), D(2012, 5, 15), RANGE, "1\u201315 May 2012"),
    ("1 May - 15 June 2012", D(2012, 5, 1), D(2012, 6, 15), RANGE, "1 May\u201315 Jun 2012"),
    ("01/05/2012 - 15/05/2012", D(2012, 5, 1), D(2012, 5, 15), RANGE, "1\u201315 May 2012"),
    ("01/05/2012\u201415/05/2012", D(2012, 5, 1), D(2012, 5, 15), RANGE, "1\u201315 May 2012"),
    ("2010-08-09 - 2010-08-15", D(2010, 8, 9), D(2010, 8, 15), RANGE, "9\u201315 Aug 2010"),
    ("from 1 May to 15 June 2012", D(2012, 5, 1), D(2012, 6, 15), RANGE, "1 May\u201315 Jun 2012"),
    ("1 Dec 2011 - 15 Jan 2012", D(2011, 12, 1), D(2012, 1, 15), RANGE, "1 Dec 2011\u201315 Jan 2012"),
    ("1-31 May 2012", D(2012, 5, 1), D(2012, 5, 31), RANGE, "1\u201331 May 2012"),
    ("May to June 2012", D(2012, 5, 1), D(2012, 6, 30), RANGE, "May\u2013Jun 2012"),
    ("May-June 2012", D(2012, 5, 1), D(2012, 6, 30), RANGE, "May\u2013Jun 2012"),
    ("January to December 2010", D(2010, 1, 1), D(2010, 12, 31), RANGE, "Jan\u2013Dec 2010"),
    ("Dec 2011 - Feb 2012", D(2011, 12, 1), D(2012, 2, 29), RANGE, "Dec 2011\u2013Feb 2012"),
    ("2010-2012", D(2010, 1, 1), D(2012, 12, 31), RANGE, "2010\u20132012"),
    ("2010 to 2012", D(2010, 1, 1), D(2012, 12, 31), RANGE, "2010\u20132012"),
    ("2010\u20132012", D(2010, 1, 1), D(2012, 12, 31), RANGE, "2010\u20132012"),
]


@pytest.mark.parametrize(("text", "start", "end", "precision", "display"), GOOD)
def test_real_world_dates_parse_to_their_span(
    text: str, start: datetime.date, end: datetime.date, precision: Precision, display: str
) -> None:
    assert parse_date(text, today=TODAY) == ParsedDate(start, end, precision, display)


BAD = [
    # text, the exact message the importer will put after "row N, Date: "
    ("31/02/2012", '"31/02/2012" is not a real date'),
    ("29/02/2011", '"29/02/2011" is not a real date'),
    ("29/02/1900", '"29/02/1900" is not a real date'),
    ("00/05/2012", '"00/05/2012" is not a real date'),
    ("12/13/2012", '"12/13/2012" is not a real date'),
    ("32/01/2012", '"32/01/2012" is not a real date'),
    ("2012-13-01", '"2012-13-01" is not a real date'),
    ("31 April 2012", '"31 April 2012" is not a real date'),
    ("13/2012", '"13/2012" is not a real date'),
    ("between 30 and 31 February 2012", '"between 30 and 31 February 2012" is not a real date'),
    ("sometime", f'"sometime" {NOT_UNDERSTOOD}'),
    ("Smarch 2012", f'"Smarch 2012" {NOT_UNDERSTOOD}'),
    ("asdfgh", f'"asdfgh" {NOT_UNDERSTOOD}'),
    ("next Tuesday", f'"next Tuesday" {NOT_UNDERSTOOD}'),
    ("12", f'"12" {NOT_UNDERSTOOD}'),
    ("12/05", f'"12/05" {NOT_UNDERSTOOD}'),
    # Could be August 2010 or 10 August: refused rather than guessed.
    ("Aug 10", f'"Aug 10" {NOT_UNDERSTOOD}'),
    ("Winter 2012/14", f'"Winter 2012/14" {NOT_UNDERSTOOD}'),
    ("between 15 and 1 May 2012", '"between 15 and 1 May 2012" ends before it starts'),
    ("2012-2010", '"2012-2010" ends before it starts'),
    ("1850", '"1850": the year must be between 1900 and 2100'),
    ("2101", '"2101": the year must be between 1900 and 2100'),
    ("01/01/1899", '"01/01/1899": the year must be between 1900 and 2100'),
    ("c. 1850", '"c. 1850": the year must be between 1900 and 2100'),
    ("", "a date is required"),
    ("   ", "a date is required"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_dates_are_refused_with_a_clear_reason(text: str, message: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_date(text, today=TODAY)
    assert str(caught.value) == message


def test_a_date_parse_error_is_a_value_error() -> None:
    # Form and import code can catch ValueError without knowing about this module.
    with pytest.raises(ValueError):
        parse_date("31/02/2012")


@pytest.mark.parametrize("text", ["c " * 5000 + "2004", "Monday " * 5000 + "9 Aug 2010", "1 - " * 5000 + "2012"])
def test_pathological_text_is_refused_quickly_not_by_crashing(text: str) -> None:
    # A pasted cell can be anything; prefixes are stripped once, not recursively.
    with pytest.raises(DateParseError, match=re.escape(NOT_UNDERSTOOD)):
        parse_date(text)


def test_winter_runs_into_the_next_year() -> None:
    assert parse_date("Winter 2012").end == D(2013, 2, 28)
    assert parse_date("Winter 2015").end == D(2016, 2, 29)  # 2016 is a leap year
    assert parse_date("Winter 2100").end == D(2101, 2, 28)  # the year as written is what must be in range


def test_two_digit_years_pivot_on_next_year() -> None:
    assert parse_date("9/8/30", today=D(2029, 1, 1)).start == D(2030, 8, 9)
    assert parse_date("9/8/31", today=D(2029, 1, 1)).start == D(1931, 8, 9)


def test_two_digit_years_default_to_the_real_today() -> None:
    next_year = datetime.date.today().year + 1
    assert parse_date(f"1/1/{next_year % 100:02}").start == D(next_year, 1, 1)


def test_date_from_cell_is_day_precision_for_dates_and_datetimes() -> None:
    expected = ParsedDate(D(2010, 8, 9), D(2010, 8, 9), DAY, "9 Aug 2010")
    assert date_from_cell(D(2010, 8, 9)) == expected
    assert date_from_cell(datetime.datetime(2010, 8, 9, 14, 30)) == expected


def test_date_from_cell_refuses_years_outside_the_range() -> None:
    with pytest.raises(DateParseError, match='"1 Jan 1850": the year must be between 1900 and 2100'):
        date_from_cell(D(1850, 1, 1))


def test_format_date_accepts_the_precision_as_stored_in_the_database() -> None:
    assert format_date(D(2012, 5, 1), D(2012, 5, 31), "month") == "May 2012"  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end", "precision"),
    [
        (D(2012, 5, 1), D(2012, 5, 15), MONTH),  # not a whole month
        (D(2012, 5, 1), D(2012, 5, 2), DAY),
        (D(2012, 5, 1), D(2012, 7, 31), SEASON),  # three months, but not a season
        (D(2012, 1, 1), D(2013, 12, 31), YEAR),
        (D(2012, 5, 2), D(2012, 5, 1), RANGE),  # backwards
    ],
)
def test_format_date_refuses_a_span_that_does_not_fit_its_precision(
    start: datetime.date, end: datetime.date, precision: Precision
) -> None:
    with pytest.raises(ValueError):
        format_date(start, end, precision)


# Property tests. Every strategy below builds a (start, end, precision) triple that the app can
# store, across the whole calendar the parser accepts.

years = st.integers(min_value=1900, max_value=2100)
months = st.integers(min_value=1, max_value=12)
days = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))


def _month_span(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    following = D(year + 1, 1, 1) if month == 12 else D(year, month + 1, 1)
    return D(year, month, 1), following - datetime.timedelta(days=1)


def _season_span(year: int, first_month: int) -> tuple[datetime.date, datetime.date]:
    last_year, last_month = (year + 1, 2) if first_month == 12 else (year, first_month + 2)
    return D(year, first_month, 1), _month_span(last_year, last_month)[1]


a_day = days.map(lambda day: (day, day, DAY))
a_month = st.builds(lambda y, m: (*_month_span(y, m), MONTH), years, months)
a_season = st.builds(lambda y, m: (*_season_span(y, m), SEASON), years, st.sampled_from([3, 6, 9, 12]))
a_year = years.map(lambda y: (D(y, 1, 1), D(y, 12, 31), YEAR))
a_third = st.builds(
    lambda y, first: (D(y, first, 1), _month_span(y, first + 3)[1], APPROXIMATE), years, st.sampled_from([1, 5, 9])
)
an_approximate_year = years.map(lambda y: (D(y, 1, 1), D(y, 12, 31), APPROXIMATE))
an_approximate_month = st.builds(lambda y, m: (*_month_span(y, m), APPROXIMATE), years, months)
an_approximate_day = days.map(lambda day: (day, day, APPROXIMATE))
two_days = st.lists(days, min_size=2, max_size=2).map(sorted)
a_range = two_days.map(lambda pair: (pair[0], pair[1], RANGE))
an_approximate_range = two_days.map(lambda pair: (pair[0], pair[1], APPROXIMATE))
# Ranges of whole months and whole years take their own display forms ("May–Jun 2012", "2010–2012").
a_range_of_months = st.builds(
    lambda first, last: (_month_span(*first)[0], _month_span(*last)[1], RANGE),
    st.tuples(years, months),
    st.tuples(years, months),
).filter(lambda triple: triple[0] <= triple[1])
a_range_of_years = st.lists(years, min_size=2, max_size=2).map(
    lambda pair: (D(min(pair), 1, 1), D(max(pair), 12, 31), RANGE)
)

storable_dates = st.one_of(
    a_day,
    a_month,
    a_season,
    a_year,
    a_third,
    an_approximate_year,
    an_approximate_month,
    an_approximate_day,
    a_range,
    an_approximate_range,
    a_range_of_months,
    a_range_of_years,
)


@given(storable_dates)
def test_what_format_date_shows_parses_back_to_the_same_date(
    triple: tuple[datetime.date, datetime.date, Precision],
) -> None:
    start, end, precision = triple
    shown = format_date(start, end, precision)
    parsed = parse_date(shown, today=TODAY)
    assert (parsed.start, parsed.end, parsed.precision) == (start, end, precision)
    assert parsed.display == shown


MONTH_NAMES = "January February March April May June July August September October November December".split()
MONTH_ABBREVIATIONS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@given(days)
def test_every_common_way_of_writing_a_day_gives_that_day(day: datetime.date) -> None:
    forms = [
        f"{day.day:02}/{day.month:02}/{day.year}",
        f"{day.day}/{day.month}/{day.year}",
        day.isoformat(),
        f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}",
        f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]} {day.year}",
    ]
    for form in forms:
        assert parse_date(form, today=TODAY) == ParsedDate(day, day, DAY, format_date(day, day, DAY)), form


def _parses_or_refuses(text: str) -> None:
    try:
        parsed = parse_date(text, today=TODAY)
    except DateParseError:
        return
    assert parsed.start <= parsed.end


@given(st.text())
def test_any_text_either_parses_or_is_refused_with_a_date_parse_error(text: str) -> None:
    _parses_or_refuses(text)


# Random text rarely gets past the first character; text made of date-ish pieces reaches the
# range splitting, the partial starts and the calendar checks.
date_pieces = st.lists(
    st.sampled_from(
        ["1", "15", "31", "02", "13", "2012", "1850", "12", "/", "-", "\u2013", ".", " ", "?", "x", "c.", "may"]
        + ["sept", "winter", "mid", "between", "and", "to", "from", "monday", "th", ","]
    ),
    max_size=12,
).map("".join)


@given(date_pieces)
def test_date_like_text_either_parses_or_is_refused_with_a_date_parse_error(text: str) -> None:
    _parses_or_refuses(text)
