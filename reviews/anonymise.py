"""Anonymisation for publication (PRODUCT.md section 4).

Pure: text in, text out, no database. ``Anonymiser.apply`` replaces every registered real name
and alias with the person's designation; ``Anonymiser.leaks`` is the publication check that
lists any registered name, alias, surname or date of birth still in a text.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # only for the annotation: the module must import without Django set up
    from reviews.models import Review

_APOSTROPHES = "'’"
# A name joined by a hyphen to another word ("Danny Rafiq-Marsh") is a different name: `apply`
# leaves it alone rather than produce "the perpetrator-Marsh", and `leaks` (which only treats
# letters and digits as joining) reports what remains so a person decides.
_APPLY_BEFORE, _APPLY_AFTER = r"(?<![\w-])", r"(?![\w-])"
_MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
# Any date in a common written form: 14/03/1990, 14/3/1990, 14.03.90, 1990-03-14, 14 March 1990,
# 14th of Mar 1990, March 14, 1990. One pattern for every person (a pattern per date of birth made
# the check several times slower); a found date is then compared with the registered dates.
_MONTH = rf"\b(?:{'|'.join(_MONTHS)})[^\W\d_]*\.?"
_DATE = (
    r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
)
# Generational suffixes are not surnames: the surname of "John Smith (Jnr)" is "Smith".
_SUFFIXES = {"jnr", "jr", "snr", "sr", "junior", "senior", "ii", "iii", "iv"}


@dataclass(frozen=True)
class RegisteredPerson:
    real_name: str
    aliases: tuple[str, ...]
    designation: str
    date_of_birth: datetime.date | None = None


@dataclass(frozen=True)
class Leak:
    term: str  # the registered text found, as registered ("Susan Marsh", "Marsh", "14/03/1990")
    kind: str  # "name", "alias", "surname" or "date of birth"
    designation: str  # whose it is
    start: int
    end: int
    context: str  # ~40 characters either side, whitespace collapsed, for showing where it is


class _Term(NamedTuple):
    text: str
    kind: str
    designation: str


def _term_pattern(term: str) -> str:
    """Whitespace inside a name may be any run of whitespace (two spaces, a line break, a
    non-breaking space: ``\\s`` is Unicode-aware); either apostrophe matches either."""
    words = ("".join(f"[{_APOSTROPHES}]" if ch in _APOSTROPHES else re.escape(ch) for ch in w) for w in term.split())
    return r"\s+".join(words)


def _key(term: str) -> str:
    return " ".join(term.split()).casefold().replace("’", "'")


def _alternation(terms: Iterable[_Term]) -> str:
    # Longest first: an alternation takes the first alternative that matches, so "Jade Louise
    # Marsh" must come before "Jade Marsh" and "Jade". No group per term: groups make Python's
    # regex engine several times slower here, so a match is looked up by its key instead.
    return "|".join(_term_pattern(text) for text in sorted((t.text for t in terms), key=len, reverse=True))


def _unique(terms: Iterable[_Term]) -> dict[str, _Term]:
    """Terms by key, dropping empty ones and repeats (case- and whitespace-insensitive): the
    first registered wins, so a real name beats the same text registered as an alias or surname."""
    table: dict[str, _Term] = {}
    for term in terms:
        key = _key(term.text)
        if key and key not in table:
            table[key] = term._replace(text=" ".join(term.text.split()))
    return table


def _lookup(table: dict[str, _Term], found: str) -> _Term:
    # The match is case-insensitive, so its key is normally the registered term's key; the scan
    # covers the odd Unicode case fold where the two differ ("ſ" matches "s" but casefolds apart).
    term = table.get(_key(found))
    if term is None:
        term = next(t for t in table.values() if re.fullmatch(_term_pattern(t.text), found, re.IGNORECASE))
    return term


def _surnames(real_name: str) -> list[str]:
    """The last word of the real name (at least 3 letters), and each part of a double-barrelled one."""
    words = real_name.split()
    while len(words) > 1 and (words[-1].startswith("(") or words[-1].strip(".,()").casefold() in _SUFFIXES):
        words.pop()
    if not words:
        return []
    surname = words[-1].strip('.,;:()"“”')
    candidates = [surname, *surname.split("-")] if "-" in surname else [surname]
    return [c for c in candidates if sum(ch.isalpha() for ch in c) >= 3]


def _read_date(found: str) -> tuple[int, int, str]:
    """Day, month and year (as written: two or four digits) of a date matched by _DATE."""
    numbers = re.findall(r"\d+", found)
    months = [
        _MONTHS.index(w[:3].casefold()) + 1 for w in re.findall(r"[^\W\d_]{3,}", found) if w[:3].casefold() in _MONTHS
    ]
    if months:
        (day, year), month = numbers, months[0]
    elif len(numbers[0]) == 4:
        year, month, day = numbers[0], int(numbers[1]), numbers[2]
    else:
        day, month, year = numbers[0], int(numbers[1]), numbers[2]
    return int(day), month, year


def _is_birth_date(date: tuple[int, int, str], dob: datetime.date) -> bool:
    day, month, year = date
    years = (dob.year % 100,) if len(year) == 2 else (dob.year,)  # "14/03/90": by the last two digits
    return (day, month) == (dob.day, dob.month) and int(year) in years


def _starts_sentence(text: str, start: int) -> bool:
    """True at the start of the text or after ". ", "! ", "? " or a line break (skipping any
    opening quote or bracket just before the name)."""
    i = start
    while i > 0 and text[i - 1] in "\"'‘“([":
        i -= 1
    j = i
    while j > 0 and text[j - 1].isspace():
        if text[j - 1] in "\n\r":
            return True
        j -= 1
    return j == 0 or (j < i and text[j - 1] in ".!?")


class Anonymiser:
    def __init__(self, people: Iterable[RegisteredPerson]):
        people = list(people)
        for person in people:
            if not person.designation.strip():
                raise ValueError(f"Every registered person needs a designation (real name {person.real_name!r}).")
        names = [_Term(p.real_name, "name", p.designation.strip()) for p in people]
        aliases = [_Term(a, "alias", p.designation.strip()) for p in people for a in p.aliases]
        surnames = [_Term(s, "surname", p.designation.strip()) for p in people for s in _surnames(p.real_name)]
        flags = re.IGNORECASE  # Unicode-aware for str patterns: "ZOË ØDEGÅRD" matches "Zoë Ødegård"

        # apply: names and aliases only. A bare surname is shared by relatives and a bare first
        # name may be a common word, so those are replaced only when registered as an alias.
        self._replaceable = _unique(names + aliases)
        self._apply_re: re.Pattern[str] | None = None
        if self._replaceable:
            alternation = _alternation(self._replaceable.values())
            self._apply_re = re.compile(f"{_APPLY_BEFORE}(?:{alternation}){_APPLY_AFTER}", flags)

        # leaks: names, aliases and surnames (in that order of precedence), and dates of birth.
        self._findable = _unique(names + aliases + surnames)
        self._dobs = [(p.date_of_birth, p.designation.strip()) for p in people if p.date_of_birth]
        parts = []
        if self._findable:
            parts.append(rf"(?<!\w)(?P<name>{_alternation(self._findable.values())})(?!\w)")
        if self._dobs:
            parts.append(rf"(?<!\d)(?P<dob>{_DATE})(?!\d)")
        self._leak_re = re.compile("|".join(parts), flags) if parts else None

        # Text inside a designation is not a leak ("Mrs Marsh" contains a surname): the check
        # blanks every designation out first (found where apply would have put it), keeping offsets.
        designations = _unique(_Term(p.designation, "designation", p.designation) for p in people)
        self._designation_re: re.Pattern[str] | None = None
        if designations:
            alternation = _alternation(designations.values())
            self._designation_re = re.compile(f"{_APPLY_BEFORE}(?:{alternation}){_APPLY_AFTER}", flags)

    def apply(self, text: str, *, sentence_case: bool = True) -> str:
        """Replace every registered real name and alias with the person's designation.
        `sentence_case=False` keeps designations as registered even at the start of the text
        (for a list of names, where "the victim" is not the start of a sentence)."""
        if self._apply_re is None or not text:
            return text
        out: list[str] = []
        last = 0
        for match in self._apply_re.finditer(text):
            start, end = match.span()
            designation = _lookup(self._replaceable, match.group()).designation
            if sentence_case and designation[0].islower() and _starts_sentence(text, start):
                designation = designation[0].upper() + designation[1:]
            out += [text[last:start], designation]
            last = end
            # "Chris Jones' car" is a possessive: the designation needs its own "'s" ("Mr J's car").
            # Not when the apostrophe closes a quote that opened just before the name ('Chris Jones').
            apostrophe = text[end : end + 1]
            if (
                apostrophe
                and apostrophe in _APOSTROPHES
                and match.group()[-1] in "sS"
                and not (text[end + 1 : end + 2].isalnum() or text[end + 1 : end + 2] == "_")
                and not (start > 0 and text[start - 1] in "'‘")
                and designation[-1] not in "sS"
            ):
                out.append(apostrophe + "s")
                last = end + 1
        out.append(text[last:])
        return "".join(out)

    def apply_all(self, texts: Iterable[str]) -> list[str]:
        return [self.apply(text) for text in texts]

    def leaks(self, text: str) -> list[Leak]:
        """The publication check: every registered name, alias, surname or date of birth left in
        the text, in text order (matches never overlap, so each span is reported once)."""
        if self._leak_re is None or not text:
            return []
        masked = text
        if self._designation_re is not None:
            masked = self._designation_re.sub(lambda m: "\0" * len(m.group()), text)
        found = []
        for match in self._leak_re.finditer(masked):
            start, end = match.span()
            if match.lastgroup == "name":
                term, kind, designation = _lookup(self._findable, match.group())
            else:
                date = _read_date(match.group())
                owner = next(((dob, who) for dob, who in self._dobs if _is_birth_date(date, dob)), None)
                if owner is None:
                    continue  # a date, but nobody's date of birth
                term, kind, designation = owner[0].strftime("%d/%m/%Y"), "date of birth", owner[1]
            context = " ".join(text[max(0, start - 40) : end + 40].split())
            found.append(Leak(term, kind, designation, start, end, context))
        return found


def anonymiser_for_review(review: Review) -> Anonymiser:
    """The anonymiser for a review's person register."""
    return Anonymiser(
        RegisteredPerson(
            real_name=person.real_name,
            aliases=tuple(a for a in (person.aliases or ()) if isinstance(a, str)),
            designation=person.designation,
            date_of_birth=person.date_of_birth,
        )
        for person in review.people.all()
    )
