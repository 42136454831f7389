"""Dates of birth in every common written form, for the publication check.

One pattern finds any date written as records and people write them; a found date is then
compared with the registered dates of birth (a pattern per person made the check several times
slower). The forms:

- numbers with any separator, or none: 14/03/1990, 14.3.90, 14-03-1990, 14–03–1990, 14 03 1990,
  14031990, 140390, 1990-03-14, 19900314;
- a month by name or abbreviation, in either order, with or without an ordinal or "of":
  14 Mar 90, 14-Mar-1990 (GP systems), 14th of March 1990, March 14th, 1990, Mar. 14 1990;
- the day as an ordinal word: "fourteenth of March 1990", "the twenty-first of May 1985".

Dashes are folded before the pattern runs (reviews.publication.characters.fold), so en and em dashes
are hyphens here.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from reviews.publication.characters import fold

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_FULL_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"]  # fmt: skip
# French and German names too (after folding: "fevrier", "marz"): records come from everywhere.
_OTHER_MONTHS = [
    ["janvier", "januar", "jänner"], ["fevrier", "februar"], ["mars", "marz", "maerz"], ["avril"], ["mai"],
    ["juin", "juni"], ["juillet", "juli"], ["aout"], ["septembre"], ["octobre", "oktober"], ["novembre"],
    ["decembre", "dezember"],
]  # fmt: skip
_MONTH_WORDS = {
    **{name: number for number, name in enumerate(_MONTHS, start=1)},
    **{name: number for number, name in enumerate(_FULL_MONTHS, start=1)},
    **{name: number for number, names in enumerate(_OTHER_MONTHS, start=1) for name in names},
    "sept": 9,
}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11,
          "xii": 12}  # fmt: skip
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_CARDINALS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]  # fmt: skip
_DAY_WORDS = {
    **{word: n for n, word in enumerate(_UNITS, start=1)},
    **{word: n for n, word in enumerate(_CARDINALS, start=1)},
    **{word: n for n, word in enumerate(_TEENS, start=10)},
    "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
    "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    "twenty": 20, "thirty": 30,
    **{f"twenty{sep}{word}": 20 + n for n, word in enumerate(_UNITS, start=1) for sep in ("-", " ", "")},
    **{f"twenty{sep}{word}": 20 + n for n, word in enumerate(_CARDINALS, start=1) for sep in ("-", " ", "")},
    **{f"thirty{sep}{word}": 31 for word in ("first", "one") for sep in ("-", " ", "")},
}  # fmt: skip

_NAMED_MONTH = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_MONTH = r"(?P<{g}>" + _NAMED_MONTH + r")\.?"
_SEP = r"[\s/.\-,_]*"
# Between numbers: a mark (or two: "14//03//1990"), spaces either side; or spaces alone, where
# the year has four digits ("14 03 1990", not "14 3 90" in a list of figures).
_SEP1 = r"\s*[/.\-_:|\\\u2044\u2215\u00b7\u2027\u30fb]{1,2}\s*"
_SPACES = r"\s+"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY_WORD = r"(?P<{g}>" + "|".join(re.escape(w) for w in sorted(_DAY_WORDS, key=len, reverse=True)) + ")"
_YEAR = r"(?:(?:of|in)\s+)?(?:a\.?\s?d\.?\s*)?(?P<{g}>(?:1[89]|20)\d\d|'?\d\d)"
_THE = r"(?:the\s+)?"
_DAY_OF = r"(?:\s+day)?" + _SEP + r"(?:of\s+)?"
_ROMAN_MONTH = r"(?P<{g}>" + "|".join(sorted(_ROMAN, key=len, reverse=True)) + ")"

_FORMS = [
    # 14/03/1990, 14.3.90, 14-03-1990, 14_03_1990, 14:03:'90, and 03/14/1990 read both ways
    r"(?P<d1>[0-3]?\d)" + _SEP1 + r"(?P<m1>[0-3]?\d)" + _SEP1 + r"(?P<y1>(?:1[89]|20)\d\d|'?\d\d)",
    # 14 03 1990
    r"(?P<d11>[0-3]?\d)" + _SPACES + r"(?P<m11>[0-3]?\d)" + _SPACES + r"(?P<y11>(?:1[89]|20)\d\d)",
    # 1990-03-14, 1990/3/14
    r"(?P<y2>(?:1[89]|20)\d\d)" + _SEP1 + r"(?P<m2>[01]?\d)" + _SEP1 + r"(?P<d2>[0-3]?\d)",
    # 14031990, 19900314 (not six digits: references and counts are written that way too)
    r"(?P<d3>[0-3]\d)(?P<m3>[01]\d)(?P<y3>(?:1[89]|20)\d\d)",
    r"(?P<y4>(?:1[89]|20)\d\d)(?P<m4>[01]\d)(?P<d4>[0-3]\d)",
    # 14 Mar 90, 14-Mar-1990, 14th of March, 1990, 14th day of March 1990, 14 March of 1990
    _THE + _DAY.format(g="d5") + _DAY_OF + _MONTH.format(g="m5") + _SEP + _YEAR.format(g="y5"),
    # March 14th, 1990; March the 14th 1990 (a separator after the day: "Jun 2010" is a month)
    _MONTH.format(g="m6") + _SEP + _THE + _DAY.format(g="d6") + r"[\s/.\-,_]+" + _YEAR.format(g="y6"),
    # the fourteenth (day) of March 1990, fourteen March 1990
    _THE + _DAY_WORD.format(g="w7") + _DAY_OF + _MONTH.format(g="m7") + _SEP + _YEAR.format(g="y7"),
    # March fourteenth, 1990; March the fourteenth 1990
    _MONTH.format(g="m8") + _SEP + _THE + _DAY_WORD.format(g="w8") + r"[\s/.\-,_]+" + _YEAR.format(g="y8"),
    # 1990 March 14, 1990-Mar-14, 1990MAR14
    r"(?P<y9>(?:1[89]|20)\d\d)" + _SEP + _MONTH.format(g="m9") + _SEP + r"(?P<d9>[0-3]?\d)(?:st|nd|rd|th)?",
    # 14.iii.1990, 14/III/90
    r"(?P<d10>[0-3]?\d)" + _SEP1 + _ROMAN_MONTH.format(g="m10") + _SEP1 + r"(?P<y10>(?:1[89]|20)\d\d|'?\d\d)",
]
FORMS = 11  # the groups are numbered d1/m1/y1 to d11/m11/y11
# Not inside a longer number, an address or a version ("10.14.3.90", "5.8.84.2"); letters may
# touch it ("DOB14/03/1990", "1990-03-14T00:00", "1990AD").
DATE_RE = re.compile(
    r"(?<!\d)(?<!\d[.:])(?:" + "|".join(f"(?:{form})" for form in _FORMS) + r")(?!\d)(?![.:]\d)", re.IGNORECASE
)


def _readings(match: re.Match[str]) -> list[tuple[int, int, str]]:
    """Day, month and year as written (two or four digits) of a found date; a numeric date with
    both numbers 12 or under is read both ways (14/03 and, in American order, 03/14)."""
    groups = match.groupdict()
    for n in range(1, FORMS + 1):
        month = groups.get(f"m{n}")
        if month is None:
            continue
        word = groups.get(f"w{n}")
        day = _DAY_WORDS.get(" ".join(word.lower().split())) if word else int(groups[f"d{n}"])
        lowered = month.lower().rstrip(".")
        month_number = int(month) if month.isdigit() else _ROMAN.get(lowered) if n == 10 else _MONTH_WORDS.get(lowered)
        year = groups[f"y{n}"].lstrip("'")
        if day is None or month_number is None:
            return []
        readings = [(day, month_number, year)]
        if n in (1, 11):
            readings.append((month_number, day, year))  # 03/14/1990
        return readings
    return []


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
        folded = fold(text)
        for match in DATE_RE.finditer(folded.text):
            owner = next((o for reading in _readings(match) if (o := self.owner(*reading))), None)
            if owner is not None:
                start, end = folded.span(*match.span())
                yield start, end, owner[0], owner[1]
