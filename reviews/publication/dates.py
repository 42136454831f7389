"""Dates of birth in every common written form, for the publication check.

One pattern finds any date written as records and people write them; a found date is then
compared with the registered dates of birth (a pattern per person made the check several times
slower). The forms:

- numbers with any separator, or none: 14/03/1990, 14.3.90, 14-03-1990, 14–03–1990, 14 03 1990,
  14031990, 140390, 1990-03-14, 19900314;
- a month by name or abbreviation, in either order, with or without an ordinal or "of":
  14 Mar 90, 14-Mar-1990 (GP systems), 14th of March 1990, March 14th, 1990, Mar. 14 1990;
- the day as an ordinal word: "fourteenth of March 1990", "the twenty-first of May 1985".

Dashes are folded before the pattern runs (reviews.publication.text.fold), so en and em dashes
are hyphens here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_WORDS = {
    **{name: number for number, name in enumerate(_MONTHS, start=1)},
    "sept": 9,
    **{
        full: number
        for number, full in enumerate(
            ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december"],
            start=1,
        )
    },
}  # fmt: skip
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_ORDINAL_WORDS = {
    **{word: n for n, word in enumerate(_UNITS, start=1)},
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    **{f"twenty{sep}{word}": 20 + n for n, word in enumerate(_UNITS, start=1) for sep in ("-", " ", "")},
    "thirty-first": 31, "thirty first": 31, "thirtyfirst": 31,
}  # fmt: skip

_MONTH = r"(?P<{g}>" + "|".join(sorted(_MONTH_WORDS, key=len, reverse=True)) + r")\.?"
_SEP = r"[\s/.\-,]*"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{g}>(?:1[89]|20)\d\d|'?\d\d)"
_ORDINAL = r"(?:the\s+)?(?P<ow>" + "|".join(re.escape(w) for w in sorted(_ORDINAL_WORDS, key=len, reverse=True)) + ")"

_FORMS = [
    # 14/03/1990, 14.3.90, 14-03-1990, 14 03 1990
    r"(?P<d1>[0-3]?\d)\s*[/.\- ]\s*(?P<m1>[01]?\d)\s*[/.\- ]\s*(?P<y1>(?:1[89]|20)\d\d|\d\d)",
    # 1990-03-14, 1990/3/14
    r"(?P<y2>(?:1[89]|20)\d\d)\s*[/.\-]\s*(?P<m2>[01]?\d)\s*[/.\-]\s*(?P<d2>[0-3]?\d)",
    # 14031990, 140390, 19900314
    r"(?P<d3>[0-3]\d)(?P<m3>[01]\d)(?P<y3>(?:1[89]|20)\d\d|\d\d)",
    r"(?P<y4>(?:1[89]|20)\d\d)(?P<m4>[01]\d)(?P<d4>[0-3]\d)",
    # 14 Mar 90, 14-Mar-1990, 14th of March, 1990
    _DAY.format(g="d5") + rf"{_SEP}(?:of\s+)?" + _MONTH.format(g="m5") + _SEP + _YEAR.format(g="y5"),
    # March 14th, 1990 (a separator after the day: "Jun 2010" is a month, not 20 June 2010)
    _MONTH.format(g="m6") + _SEP + _DAY.format(g="d6") + r"[\s/.\-,]+" + _YEAR.format(g="y6"),
    # the fourteenth of March 1990
    _ORDINAL + rf"{_SEP}(?:of\s+)?" + _MONTH.format(g="m7") + _SEP + _YEAR.format(g="y7"),
]
DATE_RE = re.compile(r"(?<![\w])(?:" + "|".join(f"(?:{form})" for form in _FORMS) + r")(?![\w])", re.IGNORECASE)


def _read(match: re.Match[str]) -> tuple[int, int, str] | None:
    """Day, month and year as written (two or four digits) of a found date."""
    groups = match.groupdict()
    for n in range(1, 8):
        month = groups.get(f"m{n}")
        if month is None:
            continue
        day = _ORDINAL_WORDS.get(" ".join(groups["ow"].lower().split())) if n == 7 else int(groups[f"d{n}"])
        month_number = int(month) if month.isdigit() else _MONTH_WORDS.get(month.lower().rstrip("."))
        year = groups[f"y{n}"].lstrip("'")
        if day is None or month_number is None:
            return None
        return day, month_number, year
    return None


class BirthDates:
    """The registered dates of birth and whose they are."""

    def __init__(self, dates: list[tuple[datetime.date, str]]):
        self.dates = dates

    def __bool__(self) -> bool:
        return bool(self.dates)

    def owner(self, day: int, month: int, year: str) -> tuple[datetime.date, str] | None:
        for dob, designation in self.dates:
            years = (dob.year % 100,) if len(year) == 2 else (dob.year,)  # "14/03/90": by the last two digits
            if (day, month) == (dob.day, dob.month) and int(year) in years:
                return dob, designation
        return None

    def find(self, text: str) -> Iterator[tuple[int, int, datetime.date, str]]:
        """(start, end, date of birth, designation) for each date of birth written in the text."""
        if not self.dates or not text:
            return
        from reviews.publication.text import fold

        folded = fold(text)
        for match in DATE_RE.finditer(folded.text):
            read = _read(match)
            owner = self.owner(*read) if read else None
            if owner is not None:
                start, end = folded.span(*match.span())
                yield start, end, owner[0], owner[1]
