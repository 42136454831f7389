"""Normalise, replace, check: the text steps of the publication pipeline (PRODUCT.md section 4).

Pure: text in, text and findings out, no database.

- Texts are normalised and compared folded (reviews.publication.characters).
- ``Register.replace`` puts the designation in place of every registered full name and alias
  (whole words, longest first, possessives kept). A name that is also ordinary English ("Will",
  "Hope", "Mark Stone") is never replaced in lower case; a single word of that kind is never
  replaced at all, and its capitalised uses are findings for a person to decide.
- ``Register.check`` lists what must not be published: a full name, alias, surname or forename
  (each part of a registered name of two or more letters), a plural or possessive of one, one
  glued to digits, underscores, a hashtag or another capitalised word, and a date of birth in any
  common written form (reviews.publication.dates).
"""

from __future__ import annotations

import datetime
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field

from reviews.publication.characters import (
    APOSTROPHES,
    SMALL_CAPITALS,
    Folded,
    fold,
    fold_key,
    is_invisible,
    normalise,
)
from reviews.publication.dates import BirthDates
from reviews.publication.words import is_ordinary_english

# Generational suffixes and titles are not parts of a name to look for.
_SUFFIXES = {"jnr", "jr", "snr", "sr", "junior", "senior", "ii", "iii", "iv"}
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame", "lady", "lord"}
CONTEXT = 40  # characters of original wording either side of a finding
_SQUASH_RE = re.compile(r"['\- ]")


def _is_capitalised(written: str, registered: str) -> bool:
    """Written with the capitals the registered name has: "Will", "Mark Stone", "MARK STONE",
    "Dan the Man" for "Dan the Man"; not "will", "mark stone" or "Mark stone"."""
    words = [w.lstrip("".join(ch for ch in w if is_invisible(ch))) for w in re.split(r"[\s\-]+", written) if w]
    capitals = [w[:1].isupper() for w in re.split(r"[\s\-]+", registered) if w]

    def capital(word: str) -> bool:
        return word[:1].isupper() or word[:1] in SMALL_CAPITALS

    if not words or not capital(words[0]):
        return False
    return all(capital(w) or not upper for w, upper in zip(words, capitals, strict=False))


@dataclass(frozen=True)
class Person:
    real_name: str
    aliases: tuple[str, ...]
    designation: str
    date_of_birth: datetime.date | None = None
    # Names that are English words but always mean this person here: replaced when capitalised.
    confirmed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    text: str  # as registered
    kind: str  # "name", "alias", "surname", "forename"
    designation: str  # whose
    english: bool  # also an ordinary English word or phrase
    confirmed: bool = False  # the chair says it always means this person: replaced when capitalised


@dataclass(frozen=True)
class Hit:
    """Something that must not be published, found in one text."""

    kind: str  # name, alias, surname, forename, date of birth
    term: str  # the registered text it matches ("Zoë O'Brien", "14/03/1990")
    designation: str  # whose it is
    found: str  # the words as written in the text
    start: int
    end: int
    context: str  # the original wording around it, on one line

    @property
    def term_key(self) -> str:
        return fold_key(self.term)


@dataclass
class Replaced:
    text: str
    counts: dict[str, int] = field(default_factory=dict)  # designation -> names replaced


def name_parts(real_name: str) -> list[str]:
    """Each part of a name to look for: forenames and surname of two or more letters, and each
    half of a double-barrelled surname; not titles, initials or suffixes ("Jnr")."""
    words = [w.strip('.,;:()"“”') for w in real_name.split()]
    parts: list[str] = []
    for word in words:
        if not word or word.casefold() in _TITLES or word.casefold().rstrip(".") in _SUFFIXES:
            continue
        if word[0].islower() and len(words) > 1:
            continue  # a particle written in lower case ("van der Berg", "Dan the Man")
        for piece in [word, *word.split("-")] if "-" in word else [word]:
            if sum(ch.isalpha() for ch in piece) >= 2 and piece not in parts:
                parts.append(piece)
    return parts


def _forenames_and_surname(real_name: str) -> tuple[list[str], list[str]]:
    words = [w for w in real_name.split() if w.strip(".,()").casefold() not in _SUFFIXES | _TITLES]
    if len(words) > 1:
        words = [w for w in words if not w[0].islower()] or words  # particles: "van der Berg"
    while words and words[-1].startswith("("):
        words.pop()
    if not words:
        return [], []
    surname = name_parts(words[-1]) if len(words) > 1 else []
    forenames = [p for w in words[:-1] for p in name_parts(w)] if len(words) > 1 else name_parts(words[0])
    return forenames, surname


def _term_regex(term: str) -> str:
    """A folded term as a pattern: any run of spaces between words, an apostrophe optional."""
    words = []
    for word in fold_key(term).split(" "):
        words.append("".join("['\\- ]?" if ch == "'" else re.escape(ch) for ch in word))
    return " +".join(words)


def _alternation(terms: Iterable[str]) -> str:
    # Longest first: "Jade Louise Marsh" before "Jade Marsh" before "Jade".
    return "|".join(_term_regex(t) for t in sorted(set(terms), key=len, reverse=True))


def _context(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - CONTEXT) : end + CONTEXT].split())


def starts_sentence(text: str, start: int) -> bool:
    i = start
    while i > 0 and text[i - 1] in "\"'‘“([":
        i -= 1
    j = i
    while j > 0 and text[j - 1].isspace():
        if text[j - 1] in "\n\r":
            return True
        j -= 1
    return j == 0 or (j < i and text[j - 1] in ".!?")


# Replacement leaves a name joined by a hyphen or glued to a word alone (the check reports it);
# the check treats anything but a letter as the end of a name, and allows a plural or possessive.
_REPLACE_BEFORE, _REPLACE_AFTER = r"(?<![\w-])", r"(?![\w-])"
# A word that names someone run together: a handle, a hashtag, an email or a web address.
_HANDLE_RE = re.compile(r"[#@][\w.\-]+|(?<![\w.+\-])[\w.+\-]++@[\w.\-]+|(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_WORD_RE = re.compile(r"[^\W_]+")


HANDLE_MARKS = ("#", "@", "://", "www.")  # in a handle, a hashtag, an email or a web address (lower case)


def _may_hold_handle(text: str) -> bool:
    """Whether ``_HANDLE_RE`` finds anything in ``text``, answered by its marks (HANDLE_MARKS)
    first: a long text with none of them is not read character by character."""
    lowered = text.lower()
    return any(mark in lowered for mark in HANDLE_MARKS) and _HANDLE_RE.search(text) is not None


_CAMEL_RE = re.compile(r"[^\W\d_A-Z\u00c0-\u00de][A-Z\u00c0-\u00de]")
# Each ASCII letter as its case: in ASCII, _CAMEL_RE finds a small letter before a capital, which
# is "aA" in the text so translated (done for the whole text at once, where the pattern reads a
# long text character by character: a tenth of the check of a large export's texts).
_ASCII_CASES = str.maketrans(string.ascii_lowercase + string.ascii_uppercase, "a" * 26 + "A" * 26)


def has_camel(text: str) -> bool:
    """Whether a capital follows a small letter anywhere in ``text`` ("JusticeForZoe"): whether
    ``_CAMEL_RE`` finds anything in it."""
    if text.isascii():
        return "aA" in text.translate(_ASCII_CASES)
    return _CAMEL_RE.search(text) is not None


_LETTER = r"[^\W\d_]"
_CHECK_BEFORE, _CHECK_AFTER = f"(?<!{_LETTER})", f"(?:'s|s'|'|es|s)?(?!{_LETTER})"


def _check_pattern(terms: Iterable[str]) -> str:
    """The check's pattern: any of ``terms`` (longest first) as a word of its own, not inside a
    longer word (_CHECK_BEFORE), allowing a plural or possessive (_CHECK_AFTER). The terms are
    grouped by their first character, each group led by that character and then the look back
    at the one before it: a pattern that begins with a choice of characters is searched for by
    skipping to where one of them is, where one that begins with the look back is tried at every
    character of the text (three times as long, on the texts of a large export)."""
    groups: dict[str, list[str]] = {}
    others = []
    for term in sorted(set(terms), key=len, reverse=True):
        pattern, first = _term_regex(term), re.escape(fold_key(term)[:1])
        if first and pattern.startswith(first):
            groups.setdefault(first, []).append(pattern[len(first) :])
        else:  # a term whose first character may be left out (an apostrophe)
            others.append(pattern)
    branches = [f"{first}(?<!{_LETTER}{first})(?:{'|'.join(rests)})" for first, rests in groups.items()]
    if others:
        branches.append(f"{_CHECK_BEFORE}(?:{'|'.join(others)})")
    return f"(?:{'|'.join(branches)}){_CHECK_AFTER}"


class _Found:
    """The findings in one text by span, and which characters they cover (so an overlap is
    looked up at once, however many findings a long text holds)."""

    def __init__(self, length: int):
        self.by_span: dict[tuple[int, int], Hit] = {}
        self.covered = bytearray(length + 1)

    def overlaps(self, start: int, end: int) -> bool:
        return self.covered.find(1, start, max(end, start + 1)) != -1

    def add(self, hit: Hit) -> None:
        self.by_span[(hit.start, hit.end)] = hit
        self.covered[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)


def _names_and_aliases_add(people: list[Person], replaceable: dict[str, Term], checked: dict[str, Term]) -> None:
    """Every real name, then every alias: replaced, and checked for. The first to claim a
    spelling keeps it."""
    for kind, texts in (("name", lambda p: [p.real_name]), ("alias", lambda p: list(p.aliases))):
        for person in people:
            for text in texts(person):
                key = fold_key(text)
                if len(key.replace(" ", "")) < 2 or key in replaceable:
                    continue
                term = Term(" ".join(text.split()), kind, person.designation.strip(), is_ordinary_english(text))
                replaceable[key] = term
                checked.setdefault(key, term)


def _confirmed_add(people: list[Person], replaceable: dict[str, Term], checked: dict[str, Term]) -> None:
    """Confirmed at registration: an English word that always means this person here."""
    for person in people:
        for text in person.confirmed:
            key = fold_key(text)
            if len(key.replace(" ", "")) < 2:
                continue
            english = is_ordinary_english(text)
            term = Term(" ".join(text.split()), "alias", person.designation.strip(), english, confirmed=True)
            if key not in replaceable or replaceable[key].designation == term.designation:
                replaceable[key] = term
                checked[key] = term


def _name_parts_add(people: list[Person], checked: dict[str, Term]) -> None:
    """Each surname and forename on its own: checked for, not replaced."""
    for person in people:
        forenames, surnames = _forenames_and_surname(person.real_name)
        for kind, parts in (("surname", surnames), ("forename", forenames)):
            for part in parts:
                key = fold_key(part)
                if key not in checked:
                    checked[key] = Term(part, kind, person.designation.strip(), is_ordinary_english(part))


def _glued_terms(checked: dict[str, Term]) -> dict[str, Term]:
    """Inside a run-together word: every full name and alias with its spaces taken out, and each
    part of a name (three letters or more; five for an ordinary English one: "marsh" in
    "jmarsh90", not "will" in "willow")."""
    glued: dict[str, Term] = {}
    for key, term in checked.items():
        joined = key.replace(" ", "").replace("'", "")
        shortest = 5 if term.english and not term.confirmed and " " not in key else 3
        if len(joined) >= shortest and joined not in glued:
            glued[joined] = term
    return glued


def _replaces(term: Term, written: str) -> bool:
    """Whether a found name is rewritten with the designation."""
    if term.english and not _is_capitalised(written, term.text):
        return False  # "asked to mark stone surfaces": ordinary English, left as written
    if len(written) <= 3 and written.isupper() and not term.text.isupper():
        return False  # "the MIA team" for "Mia": an abbreviation, maybe; found, not rewritten
    return True


def _needs_possessive(text: str, start: int, end: int, designation: str) -> bool:
    """ "Chris Jones' car": the designation needs its own "'s" ("Mr J's car"), unless the
    apostrophe closes a quotation opened just before the name."""
    after = text[end : end + 1]
    return bool(
        after
        and after in APOSTROPHES
        and text[end - 1 : end] in "sS"
        and not (text[end + 1 : end + 2].isalnum() or text[end + 1 : end + 2] == "_")
        and not (start > 0 and text[start - 1] in APOSTROPHES)
        and designation[-1] not in "sS"
    )


class Register:
    """A review's person register, compiled for replacing and checking."""

    def __init__(self, people: Iterable[Person]):
        self.people = list(people)
        for person in self.people:
            if not person.designation.strip():
                raise ValueError(f"Every registered person needs a designation (real name {person.real_name!r}).")
        replaceable: dict[str, Term] = {}
        checked: dict[str, Term] = {}
        _names_and_aliases_add(self.people, replaceable, checked)
        _confirmed_add(self.people, replaceable, checked)
        _name_parts_add(self.people, checked)
        self._replaceable = replaceable
        self._checked = checked
        self.checked_terms = list(checked.values())
        # A single ordinary-English word is never replaced: "Will" may be the verb. A phrase of
        # them ("Mark Stone") is replaced only when every word is capitalised.
        replace_terms = [key for key, t in replaceable.items() if t.confirmed or not (t.english and " " not in key)]
        self._replace_re = (
            re.compile(f"{_REPLACE_BEFORE}(?:{_alternation(replace_terms)}){_REPLACE_AFTER}") if replace_terms else None
        )
        # A full name or alias run together ("Jademarsh", "JADEMARSH") is still that name.
        self._joined = {key.replace(" ", ""): term for key, term in checked.items() if " " in key}
        self._check_re = re.compile(_check_pattern([*checked, *self._joined])) if checked else None
        self._keys = {key.replace("'", ""): key for key in checked}
        # "O Neill" and "O-Neill" for "O'Neill": the apostrophe's place may hold a space or hyphen.
        self._squashed = {_SQUASH_RE.sub("", key): key for key in checked if "'" in key}
        self._glued = _glued_terms(checked)
        self._glued_re = (
            re.compile("|".join(re.escape(k) for k in sorted(self._glued, key=len, reverse=True)))
            if self._glued
            else None
        )
        self.birth_dates = BirthDates(
            [(p.date_of_birth, p.designation.strip()) for p in self.people if p.date_of_birth]
        )

    @property
    def is_empty(self) -> bool:
        return not self._checked and not self.birth_dates

    def _lookup(self, key: str) -> Term | None:
        return (
            self._checked.get(key)
            or self._checked.get(self._keys.get(key.replace("'", ""), ""))
            or self._joined.get(key)
            or self._joined.get(key.replace("'", ""))
            or self._checked.get(self._squashed.get(_SQUASH_RE.sub("", key), ""))
        )

    def _term(self, found_folded: str) -> Term:
        key = " ".join(found_folded.split())
        term = self._lookup(key)
        if term is not None:
            return term
        for suffix in ("'s", "s'", "'", "es", "s"):  # a plural or possessive
            stem = key.removesuffix(suffix)
            if stem != key and (term := self._lookup(stem)) is not None:
                return term
        raise KeyError(found_folded)

    def replace(self, text: str, *, sentence_case: bool = True) -> Replaced:
        """Every registered full name and alias replaced by the designation. ``sentence_case=False``
        keeps designations as registered at the start of the text (a list of names)."""
        text = normalise(text)
        result = Replaced(text)
        if self._replace_re is None or not text:
            return result
        folded = fold(text)
        out: list[str] = []
        last = 0
        for match in self._replace_re.finditer(folded.text):
            start, end = folded.span(*match.span())
            term = self._replaceable.get(" ".join(match.group().split())) or self._term(match.group())
            if not _replaces(term, text[start:end]):
                continue
            designation = term.designation
            if sentence_case and designation[0].islower() and starts_sentence(text, start):
                designation = designation[0].upper() + designation[1:]
            out += [text[last:start], designation]
            last = end
            result.counts[term.designation] = result.counts.get(term.designation, 0) + 1
            if _needs_possessive(text, start, end, designation):
                out.append(text[end] + "s")
                last = end + 1
        out.append(text[last:])
        result.text = "".join(out)
        return result

    def check(self, text: str, *, glued: bool = False) -> list[Hit]:
        """Everything in the text that must not be published, in text order. ``glued``: every
        word may be names run together ("jademarsh1990", a link address); otherwise only the
        words that look like a handle, a hashtag, an email or web address are read that way."""
        if not text or self.is_empty:
            return []
        hits = _Found(len(text))
        if self._check_re is not None:
            passes = [fold(text)]
            if has_camel(text):
                passes.append(fold(text, split_camel=True))  # "JusticeForZoe", "ZoeSmith2019"
            for folded in passes:
                for match in self._check_re.finditer(folded.text):
                    self._check_match(text, folded, match.start(), match.end(), hits)
            if self._glued_re is not None and (glued or _may_hold_handle(text)):
                self._check_glued(text, passes[0], hits, every_word=glued)
        for start, end, dob, designation in self.birth_dates.find(text):
            if not hits.overlaps(start, start + 1):
                hits.add(Hit(
                    "date of birth", dob.strftime("%d/%m/%Y"), designation, text[start:end], start, end,
                    _context(text, start, end),
                ))  # fmt: skip
        return [hits.by_span[key] for key in sorted(hits.by_span)]

    def _check_glued(self, text: str, folded: Folded, hits: _Found, *, every_word: bool) -> None:
        """Names run together without a space or a capital: "jmarsh90@hotmail.com", "@jademarsh",
        "#justiceforjade", a link to ".../jademarsh1990". Looked for inside such words."""
        assert self._glued_re is not None  # check() asks only when the register has glued forms
        words = _WORD_RE.finditer(folded.text) if every_word else _HANDLE_RE.finditer(folded.text)
        for word in words:
            for match in self._glued_re.finditer(folded.text, word.start(), word.end()):
                start, end = folded.span(match.start(), match.end())
                if hits.overlaps(start, end):
                    continue
                term = self._glued[match.group()]
                hits.add(Hit(
                    term.kind, term.text, term.designation, text[start:end], start, end, _context(text, start, end)
                ))  # fmt: skip

    def _check_match(self, text: str, folded: Folded, fstart: int, fend: int, hits: _Found) -> None:
        start, end = folded.span(fstart, fend)
        if hits.overlaps(start, end):
            return
        term = self._term(folded.text[fstart:fend])
        written = text[start:end]
        if term.english and " " not in term.text.strip() and not _is_capitalised(written, term.text):
            # "the family hope that…", "the panel will meet": an ordinary word in lower case. A
            # phrase of them ("mark stone") is not replaced in lower case, but it is still found.
            return
        hits.add(Hit(term.kind, term.text, term.designation, written, start, end, _context(text, start, end)))

    def designation_problems(self, real_name: str, designation: str) -> list[str]:
        """The parts of a person's own name found in their designation ("Mr Grimes")."""
        probe = Register([Person(real_name, (), "x")])
        return sorted({hit.found for hit in probe.check(designation) if hit.kind != "date of birth"})
