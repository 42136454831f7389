"""One publication run: every text of one output passes through ``Publication`` in turn
(normalise -> replace -> check), and then the finished file (``check_file``).

Each text is given a ``Where``: the label a person reads ("Overview report, 13. Analysis,
paragraph 13.2"), the scope an acknowledgement is kept against ("section:45",
"entry:<fingerprint>:details") and the address of the editor at that place. The run keeps
every replacement made (person by section, for the publication report) and every finding,
marking those the chair has acknowledged.

Pure: the register and the decisions come in, findings come out. Loading them from the
database is reviews.publication.publication_for_review.
"""

from __future__ import annotations

import bisect
import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, filterfalse, repeat
from operator import add
from typing import NamedTuple

from reviews.publication import files
from reviews.publication.characters import fold, normalise
from reviews.publication.distinct import file_texts
from reviews.publication.text import CONTEXT, HANDLE_MARKS, Hit, Register, has_camel, starts_sentence

REDACTED = "[Redacted]"
# Between the texts of a file checked in one pass: a line of its own with a mark that is not a
# space, a letter, a digit or a date separator, so no name or date is read across two texts.
_JOIN = "\n\u00b6\n"
_ASCII_JOIN = "\n~\n"  # the same for texts that are all ASCII (kept on str.translate's fast path)
# A capital after a small letter in an ASCII text: where the check reads a text a second time,
# split at such capitals (reviews.publication.text's _CAMEL_RE, which in ASCII is just this).
_ASCII_CAMEL_RE = re.compile(r"[a-z][A-Z]")


@dataclass(frozen=True)
class Where:
    label: str  # what a person reads: "Overview report, 13. Analysis, paragraph 13.2"
    scope: str = ""  # what an acknowledgement is kept against: "section:45", "entry:<fp>:details"
    url: str = ""  # the editor at that paragraph
    group: str = ""  # for counting replacements: "13. Analysis"


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(normalise(text).split()).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Decision:
    """A chair's decision on a finding (acknowledge) or on an agency entry's field (redact)."""

    scope: str
    text_hash: str
    kind: str  # "acknowledge", "replace" (confirmed as the person) or "redact" (a whole entry field)
    term_key: str = ""  # acknowledge: the folded registered term
    occurrence: int = 0  # acknowledge: which of that term's findings in the text, from 1
    reason: str = ""
    by: str = ""
    pk: int | None = None

    @property
    def key(self) -> str:
        return finding_key(self.scope, self.text_hash, self.term_key, self.occurrence)


def finding_key(scope: str, digest: str, term_key: str, occurrence: int) -> str:
    return f"{scope}|{digest}|{term_key}|{occurrence}"


@dataclass(frozen=True)
class Finding:
    where: Where
    hit: Hit
    key: str  # what an acknowledgement names; "" for a finding in a finished file
    acknowledged: Decision | None = None  # the chair's decision on it, if any (acknowledge or replace)

    @property
    def kind(self) -> str:
        return self.hit.kind

    @property
    def decision_kind(self) -> str:
        return self.acknowledged.kind if self.acknowledged is not None else ""

    @property
    def designation(self) -> str:
        return self.hit.designation

    @property
    def context(self) -> str:
        return self.hit.context

    def message(self) -> str:
        return f"{self.where.label}: {self.hit.kind} of {self.hit.designation} (“…{self.hit.context}…”)"


_WORD_RE = re.compile(r"[^\W_]+")


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """The folded words just before and just after a span (for matching a finding in a
    finished file to an acknowledged one: page breaks and paragraph numbers move the rest)."""
    before = _WORD_RE.findall(fold(text[max(0, start - 60) : start]).text)
    after = _WORD_RE.findall(fold(text[end : end + 60]).text)
    return (before[-1] if before else ""), (after[0] if after else "")


@dataclass
class Publication:
    register: Register
    decisions: list[Decision] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    replacements: Counter = field(default_factory=Counter)  # (group, designation) -> count
    checked: list[str] = field(default_factory=list)  # what was checked: "composed text", "PDF file"
    confirmed: list[Finding] = field(default_factory=list)  # names the chair confirmed, replaced

    def __post_init__(self) -> None:
        self._decided = {d.key: d for d in self.decisions if d.kind in ("acknowledge", "replace")}
        self._redacted = {(d.scope, d.text_hash): d for d in self.decisions if d.kind == "redact"}
        self._redacted_scopes = {d.scope for d in self._redacted.values()}
        # Acknowledged wording, to recognise the same words in the finished file.
        self._acknowledged_words: set[tuple[str, str, str]] = set()
        # Texts whose names were replaced leaving nothing to find: (text, sentence case) -> (out, counts).
        self._replaced: dict[tuple[str, bool], tuple[str, dict[str, int]]] = {}
        self._clean: set[str] = set()  # texts checked in this run and found clean (clean_texts)

    # -- texts -------------------------------------------------------------------------------

    def is_redacted(self, where: Where, text: str) -> bool:
        # The scope first: hashing each of the 800,000 texts of a large export costs more than checking it.
        return where.scope in self._redacted_scopes and (where.scope, text_hash(text)) in self._redacted

    def text(self, text: str, where: Where, *, sentence_case: bool = True) -> str:
        """One text as it will be published: normalised, names replaced, what remains checked.
        A finding the chair confirmed as the person ("Jade" is the victim's name here, though
        "jade" is a word) is replaced by the designation too."""
        if not text:
            return text or ""
        original = normalise(text)
        if self.is_redacted(where, original):
            return REDACTED
        known = self._replaced.get((original, sentence_case))
        if known is not None:
            # The same text again (a designation in every entry's people): replaced as before.
            for designation, count in known[1].items():
                self.replacements[(where.group or where.label, designation)] += count
            return known[0]
        if not self.register.check(original):
            # Nothing registered in it (every name the replace step looks for, the check finds
            # too): one pass of the check, as most texts of a large export need.
            self._clean.add(original)
            return original
        group = where.group or where.label
        replaced = self.register.replace(original, sentence_case=sentence_case)
        for designation, count in replaced.counts.items():
            self.replacements[(group, designation)] += count
        out = replaced.text
        recorded = self._record(out, where, hashed=original)
        if not recorded:  # nothing left to find in it wherever it is: the same text comes out the same
            self._replaced[(original, sentence_case)] = (out, dict(replaced.counts))
            self._clean.add(out)  # checked (``_record``) and found clean
        confirmed = [f for f in recorded if f.decision_kind == "replace"]
        for finding in sorted(confirmed, key=lambda f: f.hit.start, reverse=True):
            self.findings.remove(finding)
            self.confirmed.append(finding)
            designation = finding.hit.designation
            if sentence_case and designation[:1].islower() and starts_sentence(out, finding.hit.start):
                designation = designation[0].upper() + designation[1:]
            out = out[: finding.hit.start] + designation + out[finding.hit.end :]
            self.replacements[(group, finding.hit.designation)] += 1
        return out

    def replaced_before(self, text: str, *, group: str, sentence_case: bool = True, times: int = 1) -> str | None:
        """What ``text`` gives for the same (normalised) text replaced earlier in this run leaving
        nothing to find, its replacements counted under ``group`` (``times`` over, for as many
        places as it is in), without working out where it is; None when it was not, or when the
        run has redactions (found by each text's place)."""
        if self._redacted_scopes:
            return None
        known = self._replaced.get((text, sentence_case))
        if known is None:
            return None
        for designation, count in known[1].items():
            self.replacements[(group, designation)] += count * times
        return known[0]

    @property
    def inputs_key(self) -> str:
        """What this run's check of a text depends on: the register and the chair's decisions
        (the pipeline's code is the caller's to add). Two runs with the same key find the same
        things in the same text."""
        state = repr((self.register.people, sorted(self.decisions, key=repr)))
        return hashlib.sha256(state.encode()).hexdigest()

    def known_clean(self) -> frozenset[str]:
        """The texts this run has checked and found clean, to give a later run (``add_clean``)."""
        return frozenset(self._clean)

    def add_clean(self, texts: frozenset[str], *, inputs_key: str) -> bool:
        """Take ``texts`` as checked and found clean, as another run with the same inputs found
        them (``known_clean``): only when ``inputs_key`` is this run's own; False otherwise."""
        if inputs_key != self.inputs_key:
            return False
        self._clean |= texts
        return True

    def clean_texts(self, texts: Iterable[str]) -> set[str]:
        """Those of ``texts`` in which the check finds nothing, all checked in one pass (as a
        file's cells are): ``text`` gives each of them back as it is, so a caller with many texts
        may ask this first and send only the rest through ``text`` one by one."""
        texts = set(texts)
        distinct = texts - self._clean
        clean = distinct - self._check_together(distinct).keys()
        self._clean |= clean
        return clean | (texts & self._clean)

    def check(self, text: str, where: Where, *, address: bool = False, digest: str | None = None) -> None:
        """Check a text that is published as it is (a link address, a file name)."""
        if text:
            value = files.address_words(text) if address else text
            self._record(value, where, digest=digest, hashed=text, glued=address)

    def _record(
        self, text: str, where: Where, *, digest: str | None = None, hashed: str = "", glued: bool = False
    ) -> list[Finding]:
        """The findings in ``text``, kept against ``digest``: by default the hash of ``hashed``,
        worked out only when there is something to keep."""
        hits = self.register.check(text, glued=glued)
        if not hits:
            return []
        if digest is None:
            digest = text_hash(hashed)
        seen: Counter = Counter()
        recorded = []
        for hit in hits:
            # A finding is named by its words and the words either side ("family|hope|that"), and
            # which of those it is: a change to the register that finds more or fewer names in the
            # same text cannot move a decision onto another one.
            before, after = _neighbours(text, hit.start, hit.end)
            named = f"{hit.term_key}|{before[:40]}|{after[:40]}"
            seen[named] += 1
            key = finding_key(where.scope, digest, named, seen[named]) if where.scope else ""
            decision = self._decided.get(key) if key else None
            if decision is not None and decision.kind == "acknowledge":
                self._acknowledged_words.add((before, hit.term_key, after))
            finding = Finding(where, hit, key, decision)
            self.findings.append(finding)
            recorded.append(finding)
        return recorded

    # -- the finished file -------------------------------------------------------------------

    def check_file(self, fmt: str, data: bytes, label: str) -> list[Finding]:
        """Every part of a finished file. A finding there is acknowledged only where the same
        words were acknowledged in the text it was made from."""
        self.checked.append(label)
        found: list[Finding] = []
        # Every cell read and each distinct text checked once; only a file where something is
        # found is read again part by part, to name where (reviews.publication.files).
        # A text already found clean in this run (``clean_texts``: the export's own texts, as
        # written into the file) is not checked a second time: the check of a text is its own.
        distinct = file_texts(fmt, data)
        if distinct is not None:
            texts = distinct.texts - self._clean
            unchecked = {(text, False) for text in texts}
            unchecked |= {(files.address_words(address), True) for address in distinct.addresses}
            if not self._check_many(unchecked):
                # Found clean by the same check as ``clean_texts``: another file of this run (or of
                # a run given them by ``known_clean``) does not check them again.
                self._clean |= texts
                return found
        # A file repeats itself (JSON keys, an agency's name, "No" in every row): each distinct
        # text is checked once, and all of them in one pass (hundreds of thousands of cells).
        parts = files.file_parts(fmt, data)
        values = [(files.address_words(part.text) if part.address else part.text, part.address) for part in parts]
        hits_of = self._check_many(set(values))
        for part, value in zip(parts, values, strict=True):
            for hit in hits_of.get(value, ()):
                before, after = _neighbours(value[0], hit.start, hit.end)
                # The same words on both sides (a side the text began or ended on matches
                # anything there: a paragraph's number, a page's header).
                acknowledged = hit.kind != "date of birth" and any(
                    t == hit.term_key and b in (before, "") and a in (after, "") for b, t, a in self._acknowledged_words
                )
                if not acknowledged:
                    found.append(Finding(Where(f"{label}, {part.where}"), hit, "", None))
        self.findings.extend(found)
        return found

    def _check_many(self, values: set[tuple[str, bool]]) -> dict[tuple[str, bool], list[Hit]]:
        """``_check_together`` of many (text, is_address) at once: the addresses are read as
        names may be run together in every word of them (Register.check's ``glued``)."""
        found: dict[tuple[str, bool], list[Hit]] = {}
        for glued in (False, True):
            texts = [text for text, address in values if address is glued]
            found.update(((text, glued), hits) for text, hits in self._check_together(texts, glued).items())
        return found

    def _check_together(self, texts: Iterable[str], glued: bool = False) -> dict[str, list[Hit]]:
        """The check of many texts at once: joined by a mark no name or date can cross, checked
        as one text, each finding given back to its own text (with its own offsets and wording)."""
        found: dict[str, list[Hit]] = {}
        for group in _check_groups(texts):
            for hit in self.register.check(group.text, glued=glued):
                index = bisect.bisect_right(group.starts, hit.start) - 1
                text, offset = group.texts[index], group.starts[index]
                start, end = hit.start - offset, min(hit.end - offset, len(text))
                if start < 0 or start >= len(text):
                    continue
                context = " ".join(text[max(0, start - CONTEXT) : end + CONTEXT].split())
                local = dataclasses.replace(hit, start=start, end=end, found=text[start:end], context=context)
                found.setdefault(text, []).append(local)
        return found

    # -- results -----------------------------------------------------------------------------

    @property
    def blocking(self) -> list[Finding]:
        """Everything found that no acknowledgement covers. (A finding confirmed as the person is
        replaced in a plain text and is then gone; one left, in a paragraph, still blocks.)"""
        return [f for f in self.findings if f.decision_kind != "acknowledge"]

    @property
    def acknowledged(self) -> list[Finding]:
        return [f for f in self.findings if f.decision_kind == "acknowledge"]

    @property
    def passed(self) -> bool:
        return not self.blocking

    def redactions(self) -> list[Decision]:
        return list(self._redacted.values())


class _Joined(NamedTuple):
    """Texts the check reads as one: joined by a mark no name or date can cross."""

    texts: list[str]
    text: str  # joined
    starts: list[int]  # where each of the texts starts in it


def _joined(texts: list[str], join: str) -> _Joined:
    starts = list(accumulate(map(add, map(len, texts[:-1]), repeat(len(join))), initial=0))
    return _Joined(texts, join.join(texts), starts)


def _check_groups(texts: Iterable[str]) -> list[_Joined]:
    """``texts`` (but those of nothing but spaces) in the groups the check reads apart. ASCII
    texts apart: they are folded by str.translate, the rest character by character. And of the
    ASCII ones, two kinds apart again, each of which makes the check read the whole text it is
    joined in a second time, character by character (which finds nothing more in the others):
    those with a capital after a small letter ("JusticeForZoe"), read again split at such
    capitals, and those with the mark of a handle, an email or a web address (#, @, ://, www.),
    each of whose words is read as names may be run together in it. Both are looked for in all
    the ASCII texts joined, at once: the mark between them has none, so each one found is in
    the text it is in."""
    texts = list(filter(str.strip, texts))
    plain = _joined(list(filter(str.isascii, texts)), _ASCII_JOIN)
    groups = [_joined(list(filterfalse(str.isascii, texts)), _JOIN)]
    camel = (
        _texts_at(plain, (m.start() for m in _ASCII_CAMEL_RE.finditer(plain.text))) if has_camel(plain.text) else set()
    )
    marked = _texts_at(plain, _marks_at(plain.text.lower())) - camel
    if camel or marked:
        groups.append(_joined([plain.texts[index] for index in sorted(camel)], _ASCII_JOIN))
        groups.append(_joined([plain.texts[index] for index in sorted(marked)], _ASCII_JOIN))
        apart = camel | marked
        plain = _joined([text for index, text in enumerate(plain.texts) if index not in apart], _ASCII_JOIN)
    return [group for group in (plain, *groups) if group.texts]


def _texts_at(joined: _Joined, positions: Iterable[int]) -> set[int]:
    """Which of the joined texts each position is in."""
    return {bisect.bisect_right(joined.starts, position) - 1 for position in positions}


def _marks_at(text: str) -> Iterator[int]:
    """Where each mark of a handle (text.HANDLE_MARKS) begins in ``text`` (in lower case)."""
    for mark in HANDLE_MARKS:
        at = text.find(mark)
        while at != -1:
            yield at
            at = text.find(mark, at + 1)


class PublicationBlocked(Exception):
    SHOWN = 20

    def __init__(self, findings: Iterable[Finding]):
        self.findings = list(findings)
        parts = [finding.message() for finding in self.findings[: self.SHOWN]]
        more = f"; and {len(self.findings) - self.SHOWN} more" if len(self.findings) > self.SHOWN else ""
        super().__init__("Publication blocked, personal data found: " + "; ".join(parts) + more)
