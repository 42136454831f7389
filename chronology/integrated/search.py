"""What the integrated chronology's text search matches: the entries' text as the page shows it.

Two texts are kept for each entry of a version: the text as the agencies wrote it (real names,
`search_text`, and on PostgreSQL `search_vector`), and, only where it differs, the text as it is
shown with designations (`search_shown`, and on PostgreSQL `shown_vector`): names replaced by
the person register, and the chair's decisions on the entry's fields applied, exactly as
chronology.integrated.selectors.entry_texts shows them. A search with designations shown looks
in the second where there is one, else in the first; with real names, in the first only.

Both are folded (fold): lower case, accents and other marks taken off, so "cafe" finds "café"
and "ZOE" finds "Zoë", on every database, the searched words folded the same way. The build
folds the agencies' text inside the database (SQL_FOLD on PostgreSQL, the same function
registered on SQLite's connection), and the designations text in Python."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import NamedTuple

from django.db import connection

from chronology.exports.published import EntryToPublish, PublishedEntries
from chronology.integrated.rows import entry_fingerprint, people_list
from chronology.models import IntegratedChronology, IntegratedEntry
from reviews.models import PublicationDecision, Review
from reviews.publication import Register, publication_for_review

# The combining marks taken off after the NFKD decomposition: the diacritical marks' blocks. The
# same ranges in Python and in PostgreSQL's regular expressions, so both fold alike.
_MARK_RANGES = r"\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARKS_RE = re.compile(f"[{_MARK_RANGES}]")


def fold(text: str) -> str:
    """Text as the search compares it: decomposed (NFKD: "é" is "e" and its accent, "ﬁ" is
    "fi"), its marks taken off, in lower case."""
    if not text or text.isascii():
        return (text or "").lower()
    return _MARKS_RE.sub("", unicodedata.normalize("NFKD", text)).lower()


def sql_fold(expression: str) -> str:
    """`expression` folded inside the database as fold() folds it in Python."""
    if connection.vendor == "postgresql":
        # Plain ASCII text (one byte a character) is only lowered; the text is named once.
        return (
            f"(SELECT CASE WHEN octet_length(t) = length(t) THEN lower(t) "
            f"ELSE lower(regexp_replace(normalize(t, NFKD), '[{_MARK_RANGES}]', '', 'g')) END "
            f"FROM (SELECT {expression} AS t) AS folding)"
        )
    fold_register()
    return f"casereview_fold({expression})"


def fold_register() -> None:
    """fold() as the SQL function casereview_fold on this SQLite connection."""
    connection.ensure_connection()
    connection.connection.create_function("casereview_fold", 1, fold, deterministic=True)


class EntryFields(NamedTuple):
    """An entry's fields that its shown text is made from (an IntegratedEntry's or an agency
    entry's, numbered as in the version)."""

    seq: int
    agency_id: int
    agency_name: str
    date_start: datetime.date
    date_end: datetime.date
    precision: str
    date_display: str
    people: list[str]
    event: str
    details: str
    outcome: str
    comment: str


class Shown(NamedTuple):
    """An entry's text as shown with designations, in the two parts the database keeps a vector
    of for each agency entry (chronology migration 0016): its people, and the rest of its
    searched fields (the date as written, the event, details, outcome and comment). None for a
    part shown as it is written."""

    people: str | None
    rest: str | None

    def text(self, entry: EntryFields) -> str:
        """The whole searched text as shown (the agency's name as written, as the page shows it)."""
        people = " ".join(entry.people) if self.people is None else self.people
        return " ".join((entry.agency_name, people, _rest(entry) if self.rest is None else self.rest))


def _rest(entry: EntryFields) -> str:
    return " ".join((entry.date_display, entry.event, entry.details, entry.outcome, entry.comment))


class ShownTexts:
    """The text of each entry as shown with designations, or None where it is the text
    as written (nothing replaced, nothing redacted). An entry the chair made a decision on is
    published as the page shows it (PublishedEntries); every other entry's fields go through the
    register's replacement, which is what publishing a field comes to when no decision applies
    (Publication.text), without the checks and findings the page does not show. The build does
    this for every entry: the fields that repeat (dates, people, events) are replaced once."""

    def __init__(self, review: Review):
        self.run = publication_for_review(review)
        self.published = PublishedEntries(self.run)
        scopes = PublicationDecision.objects.filter(review=review, scope__startswith="entry:").values_list(
            "scope", flat=True
        )
        self.decided = {scope.split(":")[1] for scope in scopes}
        self._cache: dict[str, tuple[str, bool]] = {}
        self._may_name = _name_heads(self.run.register)
        self._people_cache: dict[str, tuple[str, bool]] = {}

    def shown(self, entry: EntryFields) -> Shown | None:
        """The entry's parts shown otherwise than written, or None when it is shown as written."""
        if self.decided and self._fingerprint(entry) in self.decided:
            return self._published(entry)
        people, people_changed = self._people(entry.people)
        event, event_changed = self._field(entry.event)
        details, details_changed = self._replaced(entry.details)
        outcome, outcome_changed = self._field(entry.outcome)
        comment, comment_changed = self._field(entry.comment)
        rest = None
        if event_changed or details_changed or outcome_changed or comment_changed:
            rest = " ".join((entry.date_display, event, details, outcome, comment))
        if not people_changed and rest is None:
            return None
        return Shown(people if people_changed else None, rest)

    def _replaced(self, text: str, *, sentence_case: bool = True) -> tuple[str, bool]:
        """What publishing a field comes to when no decision applies to it (Publication.text)."""
        if self._may_name is not None and text.isascii() and not self._may_name(text.lower()):
            return text, False
        replaced = self.run.register.replace(text, sentence_case=sentence_case)
        return replaced.text, bool(replaced.counts)

    def _field(self, text: str) -> tuple[str, bool]:
        # Dates, agencies, events and outcomes repeat across a chronology: each is replaced once.
        if text not in self._cache:
            self._cache[text] = self._replaced(text)
        return self._cache[text]

    def _people(self, people: list[str]) -> tuple[str, bool]:
        # The people as one text, as PublishedEntries publishes them; a handful of lists repeat.
        key = "; ".join(people)
        if key not in self._people_cache:
            self._people_cache[key] = self._replaced(key, sentence_case=False)
        return self._people_cache[key]

    def _published(self, entry: EntryFields) -> Shown | None:
        out = self.published.entry(
            EntryToPublish(
                entry.seq,
                entry.agency_id,
                entry.agency_name,
                entry.date_start,
                entry.date_end,
                entry.precision,
                entry.date_display,
                entry.people,
                "",
                "",
                entry.event,
                entry.details,
                entry.outcome,
                entry.comment,
            )  # fmt: skip
        )
        people, rest = "; ".join(out.people), " ".join((entry.date_display, out.event, out.details, out.outcome,
                                                         out.comment))  # fmt: skip
        written = Shown("; ".join(entry.people), _rest(entry))
        if (people, rest) == written:
            return None
        return Shown(people if people != written.people else None, rest if rest != written.rest else None)

    @staticmethod
    def _fingerprint(entry: EntryFields) -> str:
        return entry_fingerprint(entry.agency_id, entry.date_start, entry.date_end, entry.precision, entry.details)


def _name_heads(register: Register) -> Callable[[str], object] | None:
    """A quick test that plain (ASCII) text, in lower case, holds nothing the register replaces:
    every name and alias it replaces begins with its first word as written, up to a space or an
    apostrophe (reviews.publication.text: the apostrophe and the spaces are where a written name
    may differ). None when there is no such test (the register replaces a name beginning with an
    apostrophe): then every text is replaced."""
    replaceable = getattr(register, "_replaceable", None)  # folded names and aliases
    if not isinstance(replaceable, dict):
        return None
    heads = {re.split(r"[ ']", key)[0] for key in replaceable}
    if not all(heads):
        return None
    if not heads:
        return lambda text: False
    return re.compile("|".join(re.escape(head) for head in sorted(heads, key=len, reverse=True))).search


class ShownColumns(NamedTuple):
    """The build's columns for the text shown with designations, by seq, for the entries shown
    otherwise than written. On PostgreSQL the people as shown (an index into `people`, the
    distinct lists, whose vectors are made once) and the rest as shown when it differs, each
    folded; elsewhere the whole text, folded."""

    by_seq: dict[int, tuple[str | None, int | None, str | None]]  # (whole text, people, rest)
    people: list[tuple[int, str]]


def shown_columns(review: Review, entries: Iterable[EntryFields], *, parts: bool) -> ShownColumns:
    texts = ShownTexts(review)
    by_seq: dict[int, tuple[str | None, int | None, str | None]] = {}
    people: dict[str, int] = {}
    for entry in entries:
        shown = texts.shown(entry)
        if shown is None:
            continue
        if not parts:
            by_seq[entry.seq] = (fold(shown.text(entry)), None, None)
            continue
        index = None if shown.people is None else people.setdefault(fold(shown.people), len(people) + 1)
        by_seq[entry.seq] = (None, index, None if shown.rest is None else fold(shown.rest))
    return ShownColumns(by_seq, [(index, text) for text, index in people.items()])


def shown_texts(review: Review, entries: Iterable[EntryFields]) -> list[tuple[int, str | None]]:
    """(seq, the whole text as shown folded, or None when shown as written) for each entry."""
    texts = ShownTexts(review)
    return [
        (entry.seq, None if (shown := texts.shown(entry)) is None else fold(shown.text(entry))) for entry in entries
    ]


SHOWN_TABLE = "integrated_search_shown"


def shown_rewrite(chronology: IntegratedChronology) -> int:
    """Write a built version's shown text again from its stored entries (the person register
    or the chair's decisions changed since it was built); returns how many entries' text
    changed (on PostgreSQL, also those shown as written). Inside the caller's transaction,
    holding the version's row."""
    from chronology.integrated.build import _insert_rows  # the build's COPY, one way of writing rows

    rows = chronology.entries.order_by("seq").values_list(
        "seq", "agency_id", "agency_name", "date_start", "date_end", "precision", "date_display", "people",
        "event", "details", "outcome", "comment",
    )  # fmt: skip
    shown = shown_texts(chronology.review, (EntryFields(*row[:7], people_list(row[7]), *row[8:]) for row in rows))
    table = IntegratedEntry._meta.db_table
    if connection.vendor == "postgresql":
        # Only the vector is searched here; the rows shown otherwise than written, before or now.
        write = "shown_vector = to_tsvector('english'::regconfig, s.shown)"
        changed = f"({table}.shown_vector IS NOT NULL OR s.shown IS NOT NULL)"
    else:
        write, changed = "search_shown = s.shown", f"{table}.search_shown IS NOT s.shown"  # null-safe
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SHOWN_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {SHOWN_TABLE} (seq integer PRIMARY KEY, shown text)")
        _insert_rows(SHOWN_TABLE, ("seq", "shown"), shown)
        cursor.execute(
            f"UPDATE {table} SET {write} FROM {SHOWN_TABLE} s "
            f"WHERE {table}.chronology_id = %s AND {table}.seq = s.seq AND {changed}",
            [chronology.pk],
        )
        changed = cursor.rowcount
        cursor.execute(f"DROP TABLE {SHOWN_TABLE}")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {table} (shown_vector)")  # for the search's plan (selectors._search)
    return changed
