"""The rows the integrated chronology's rules work on, their order, and what identifies an
agency's entry across re-imports.

PRODUCT.md section 3 is the specification. Nothing here touches the database, so the rules
(this module, links.py and gaps.py) are tested and benchmarked on their own."""

from __future__ import annotations

import datetime
import hashlib
import json
import unicodedata
from dataclasses import dataclass, field


@dataclass
class MergeRow:
    source_id: int
    agency: str
    position: int
    date_start: datetime.date
    date_end: datetime.date
    time: datetime.time | None
    event: str
    details: str
    # Filled in by the functions below.
    seq: int = 0
    event_key: str = field(default="", repr=False)
    # The details' words (fillers aside) as a bit set over one build's vocabulary, and how many
    # there are: comparing two details texts is then one AND and a bit count.
    word_bits: int = field(default=0, repr=False)
    word_count: int = field(default=0, repr=False)

    @property
    def span_days(self) -> int:
        return (self.date_end - self.date_start).days


def order_key(row: MergeRow) -> tuple:
    """By start date; for equal starts the narrower entry first (a day before a month that
    starts on it); then timed entries first, by time; then agency name; then the agency's
    own row order. Every tie is broken, so the order never depends on how rows arrived."""
    return (
        row.date_start,
        row.span_days,
        row.time is None,
        row.time or datetime.time.min,
        row.agency.casefold(),
        row.agency,
        row.position,
        row.source_id,
    )


def entry_fingerprint(
    agency_id: int, date_start: datetime.date, date_end: datetime.date, precision: str, details: str
) -> str:
    """What identifies an agency's entry across re-imports, when its database id changes: the
    agency, the dates as recorded and the details text (case and spacing aside). The chair's
    decisions on links are kept against it as well as against the ids."""
    text = " ".join((details if details.isascii() else unicodedata.normalize("NFC", details)).casefold().split())
    key = f"{agency_id}|{date_start.isoformat()}|{date_end.isoformat()}|{precision}|{text}"
    return hashlib.sha256(key.encode()).hexdigest()[:FINGERPRINT_LENGTH]


# 128 bits of SHA-256, as hex.
FINGERPRINT_LENGTH = 32


def merge_order(rows: list[MergeRow]) -> list[MergeRow]:
    ordered = sorted(rows, key=order_key)
    for seq, row in enumerate(ordered, start=1):
        row.seq = seq
    return ordered


def people_list(value) -> list[str]:
    """An entry's people as the database driver gives them (a list, or JSON text)."""
    if isinstance(value, str):
        value = json.loads(value or "[]")
    return [person for person in value or [] if isinstance(person, str)]
