"""Suggested links between agencies' entries (possible duplicates and date conflicts), as
pure functions over MergeRows, and the chair's decisions on them as the pages and exports
read them.

PRODUCT.md section 3 is the specification. The rules never touch the database; only
link_decisions reads (the chair's decisions for one review)."""

from __future__ import annotations

import datetime
import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

from chronology.integrated.rows import MergeRow
from chronology.models import LinkDecision, SuggestedLink

DUPLICATE = "possible_duplicate"
CONFLICT = "date_conflict"
# Records of one event by two agencies that disagree on its date by at most this much.
CONFLICT_WINDOW = datetime.timedelta(days=31)
# An entry spanning more than this (a year, "c. 2004") is too vague to be matched with
# another agency's record of a particular event.
MATCHABLE_SPAN_DAYS = 31
# Two details texts this alike (shared words over all words) describe the same event.
SIMILAR_DETAILS = 0.5
# Other events are a date conflict only when their details read at least this alike.
CONFLICT_DETAILS = 0.3
MULTI_AGENCY_EVENT_WORDS = frozenset(
    "strategy conference marac mappa meeting discussion panel planning case professional".split()
)

_WORD = re.compile(r"[a-z0-9]+")
_FILLER = frozenset(
    "a an and the of to in on at for with by from was were is be been has had have he she they it his her their "
    "this that as or not no".split()
)


def normalise_event(event: str) -> str:
    """ "Strategy Discussion", "strategy discussion." and "Strategy discussions" are one type."""
    words = [word[:-1] if len(word) > 3 and word.endswith("s") else word for word in _WORD.findall(event.lower())]
    return " ".join(word for word in words if word not in _FILLER)


def _similar(a: MergeRow, b: MergeRow, threshold: float = SIMILAR_DETAILS) -> bool:
    """Shared words over all words (Jaccard) at least `threshold`, without building the union."""
    if not a.word_count or not b.word_count:
        return False
    shared = (a.word_bits & b.word_bits).bit_count()
    return shared >= threshold * (a.word_count + b.word_count - shared)


def _prepare(rows: list[MergeRow]) -> None:
    """Each row's event type and details words, worked out once. Many rows share an event type,
    so each distinct one is normalised once. Each word has a bit (fillers have none), so a
    text's bits are summed in C rather than collected word by word."""
    event_keys: dict[str, str] = {}
    bits_of: dict[str, int] = dict.fromkeys(_FILLER, 0)
    findall = _WORD.findall
    for row in rows:
        event_key = event_keys.get(row.event)
        if event_key is None:
            event_key = event_keys[row.event] = normalise_event(row.event)
        row.event_key = event_key
        words = set(findall(row.details.lower()))
        try:
            bits = sum(map(bits_of.__getitem__, words))
        except KeyError:  # a word not seen before
            for word in words:
                if word not in bits_of:
                    bits_of[word] = 1 << len(bits_of)
            bits = sum(map(bits_of.__getitem__, words))
        row.word_bits, row.word_count = bits, bits.bit_count()


def _shared_event(event_key: str) -> bool:
    """Events several agencies take part in: one agency's home visit and another's a fortnight
    later are two visits, but a strategy discussion two agencies date differently is one."""
    return any(word in event_key.split() for word in MULTI_AGENCY_EVENT_WORDS) or "core group" in event_key


@dataclass(slots=True)  # not frozen: a large chronology has 100,000 of them, and frozen is slower to build
class Link:
    kind: str
    a: MergeRow
    b: MergeRow
    reason: str


def suggest_links(ordered: list[MergeRow]) -> list[Link]:
    """Pairs of entries from different agencies that may record one event: a possible
    duplicate when their dates overlap, a date conflict when they are apart by up to 31 days.
    Never merged: the chair confirms or dismisses each."""
    matchable = [row for row in ordered if row.span_days <= MATCHABLE_SPAN_DAYS]
    _prepare(matchable)
    links: dict[tuple[str, int, int], Link] = {}

    def add(kind: str, a: MergeRow, b: MergeRow, reason: str) -> None:
        first, second = (a, b) if a.seq < b.seq else (b, a)
        links.setdefault((kind, first.seq, second.seq), Link(kind, first, second, reason))

    by_event: dict[str, list[MergeRow]] = defaultdict(list)
    for row in matchable:
        if row.event_key:
            by_event[row.event_key].append(row)
    for rows in by_event.values():
        _same_event_links(rows, add)
    _similar_details_links(matchable, add)
    return sorted(links.values(), key=lambda link: (link.a.seq, link.b.seq, link.kind))


def _same_event_links(rows: list[MergeRow], add) -> None:
    """Rows of one event type, in date order. Overlapping dates in two agencies: a possible
    duplicate. Otherwise, within 31 days: a date conflict, but only for an event neither
    agency records routinely (a health visitor's weekly visits are not one visit misdated),
    only between each agency's nearest records, and only when neither agency also has a
    record on the other's date."""
    starts = [row.date_start for row in rows]
    routine = _routine(rows, starts)
    shared_event = _shared_event(rows[0].event_key)
    for index, row in enumerate(rows):
        last = bisect_left(starts, row.date_end + CONFLICT_WINDOW + datetime.timedelta(days=1))
        for other in rows[index + 1 : last]:
            if other.agency == row.agency:
                continue
            if other.date_start <= row.date_end:
                add(DUPLICATE, row, other, f"same event: {row.event}")
            elif row.seq in routine or other.seq in routine:
                continue
            elif not (shared_event or _similar(row, other, CONFLICT_DETAILS)):
                continue
            elif _nearest_counterparts(rows, starts, row, other):
                days = (other.date_start - row.date_end).days
                add(CONFLICT, row, other, f"same event {days} days apart: {row.event}")


# An agency that records an event type this often within the window does it routinely.
ROUTINE_COUNT = 3


def _routine(rows: list[MergeRow], starts: list[datetime.date]) -> set[int]:
    """The rows (by seq) whose agency records this event type at least ROUTINE_COUNT times
    within 31 days either side of them."""
    routine = set()
    for row in rows:
        low = bisect_left(starts, row.date_start - CONFLICT_WINDOW)
        high = bisect_left(starts, row.date_start + CONFLICT_WINDOW + datetime.timedelta(days=1))
        if high - low >= ROUTINE_COUNT:
            same_agency = sum(1 for other in rows[low:high] if other.agency == row.agency)
            if same_agency >= ROUTINE_COUNT:
                routine.add(row.seq)
    return routine


def _nearest_counterparts(rows: list[MergeRow], starts: list[datetime.date], a: MergeRow, b: MergeRow) -> bool:
    low = bisect_left(starts, a.date_start - CONFLICT_WINDOW)
    high = bisect_left(starts, b.date_end + CONFLICT_WINDOW + datetime.timedelta(days=1))
    for row in rows[low:high]:
        if row is a or row is b:
            continue
        # The other agency has its own record on this agency's date (or vice versa).
        if row.agency == b.agency and row.date_start <= a.date_end and a.date_start <= row.date_end:
            return False
        if row.agency == a.agency and row.date_start <= b.date_end and b.date_start <= row.date_end:
            return False
        # A nearer record of the same agency is the better counterpart.
        if row.agency == a.agency and a.date_end < row.date_start <= b.date_start:
            return False
        if row.agency == b.agency and a.date_end <= row.date_end < b.date_start:
            return False
    return True


def _similar_details_links(rows: list[MergeRow], add) -> None:
    """Entries on the same day, in different agencies, whatever their event type, whose
    details read alike: a possible duplicate."""
    by_day: dict[datetime.date, list[MergeRow]] = defaultdict(list)
    for row in rows:
        if row.span_days == 0 and row.word_count:
            by_day[row.date_start].append(row)
    # Every pair of a day's entries is looked at, so the loop works on plain tuples and
    # compares words as bit sets: this is the build's hottest loop.
    for day_rows in by_day.values():
        day = [(row.agency, row.event_key, row.word_bits, row.word_count, row) for row in day_rows]
        for index, (agency, event_key, bits, count, row) in enumerate(day):
            for other_agency, other_event_key, other_bits, other_count, other in day[index + 1 :]:
                # Same event type on the same day is already a duplicate by the rule above.
                if other_agency != agency and other_event_key != event_key:
                    shared = (bits & other_bits).bit_count()
                    if shared >= SIMILAR_DETAILS * (count + other_count - shared):
                        add(DUPLICATE, row, other, "same day, similar details")


@dataclass
class LinkDecisions:
    """The chair's decisions for one review, looked up by a link's two entries: by their ids,
    else (after an agency re-imported its chronology, giving its entries new ids) by their
    fingerprints, which still match as long as the entries read the same."""

    by_sources: dict[tuple[str, int, int], str]
    by_fingerprints: dict[tuple[str, str, str], str]

    def status(self, kind: str, source_a: int, source_b: int, fingerprint_a: str, fingerprint_b: str) -> str:
        found = self.by_sources.get((kind, min(source_a, source_b), max(source_a, source_b)))
        if found is None and fingerprint_a and fingerprint_b:
            found = self.by_fingerprints.get(
                (kind, min(fingerprint_a, fingerprint_b), max(fingerprint_a, fingerprint_b))
            )
        return found or "suggested"

    def of(self, link: SuggestedLink) -> str:
        return self.status(link.kind, link.source_a, link.source_b, link.fingerprint_a, link.fingerprint_b)


def link_decisions(review_id: int) -> LinkDecisions:
    by_sources: dict[tuple[str, int, int], str] = {}
    by_fingerprints: dict[tuple[str, str, str], str] = {}
    # Oldest first, so that of two decisions on the same entries the latest is the one kept.
    for kind, a, b, fingerprint_a, fingerprint_b, status in (
        LinkDecision.objects.filter(review_id=review_id)
        .order_by("decided_at", "pk")
        .values_list("kind", "source_a", "source_b", "fingerprint_a", "fingerprint_b", "status")
    ):
        by_sources[(kind, a, b)] = status
        if fingerprint_a and fingerprint_b:
            by_fingerprints[(kind, min(fingerprint_a, fingerprint_b), max(fingerprint_a, fingerprint_b))] = status
    return LinkDecisions(by_sources, by_fingerprints)
