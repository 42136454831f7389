"""The words of the timeline picture (timeline_svg): text made safe for XML, measured for the
widest a reader may make it, fitted or wrapped to a width, and what pointing at a target shows.

SVG text never wraps or grows room by itself, and a reader's own letter and word spacing (WCAG
1.4.12: 0.12 and 0.16 em) widen it after the drawing was laid out: so every width here already
includes that spacing, and the drawing leaves room for it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING

from chronology.exports.data import ExportChronology, ExportEntry

if TYPE_CHECKING:
    from chronology.integrated.timeline_zoom import PrePeriod

# Em per character: at most 0.64 for words and figures (DejaVu Sans's widest, more than Liberation
# Sans, the family drawn, so every measure here errs wide), plus the letter
# spacing and word spacing a reader may add.
ADVANCE, LETTER_SPACING, WORD_SPACING = 0.64, 0.12, 0.16
DETAILS_CHARS = 120
LISTED = 4  # a target holding more entries than this counts them rather than naming them
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0 even escaped


def esc(text: str) -> str:
    return escape(_XML_ILLEGAL.sub(" ", text), quote=True)


def text_width(text: str, size: float) -> float:
    """At most how wide the text is drawn, in pixels, at `size` pixels, with a reader's spacing."""
    return size * (len(text) * (ADVANCE + LETTER_SPACING) + text.count(" ") * WORD_SPACING)


def fit(text: str, px: float, size: float) -> str:
    """The text, cut short with an ellipsis if it would be wider than px."""
    most = max(1, int(px / (size * (ADVANCE + LETTER_SPACING + WORD_SPACING))))
    return text if len(text) <= most else text[: max(most - 1, 1)].rstrip() + "…"


def wrap(text: str, px: float, size: float) -> list[str]:
    """The whole text in lines no wider than px, broken between words (inside a word only when
    the word alone is wider)."""
    lines: list[str] = []
    most = max(1, int(px / (size * (ADVANCE + LETTER_SPACING))))  # letters of a word wider than a line
    for word in text.split() or [""]:
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width(candidate, size) <= px:
            lines[-1] = candidate
            continue
        lines += [word[i : i + most] for i in range(0, len(word), most)] or [""]
    return lines


def same(text: str) -> str:
    return text


def entry_title(e: ExportEntry, clean: Callable[[str], str] = same) -> str:
    details = " ".join(clean(e.details).split())
    details = details[:DETAILS_CHARS].rstrip() + "…" if len(details) > DETAILS_CHARS else details
    lines = [f"#{e.seq} · {e.date_display} · {e.agency}", clean(e.event), details]
    lines += ["Significant."] * e.significant + ["Outside the review period."] * (not e.in_scope)
    return "\n".join(line for line in lines if line)


def target_title(group: list[ExportEntry], clean: Callable[[str], str] = same) -> str:
    """What pointing at a target shows: its entry, its few entries one by one, or how many it
    holds (so that only the few entries named pay for `clean`)."""
    if len(group) == 1:
        return entry_title(group[0], clean)
    first, last = min(group, key=lambda e: e.date_start), max(group, key=lambda e: e.date_end)
    head = f"{len(group):,} entries · {first.date_display} to {last.date_display} · {first.agency}"
    if len(group) <= LISTED:
        return "\n\n".join([head, *(entry_title(e, clean) for e in sorted(group, key=lambda e: e.seq))])
    significant, outside = sum(e.significant for e in group), sum(not e.in_scope for e in group)
    return f"{head}\n{significant:,} significant; {outside:,} outside the review period"


def day(d: datetime.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def listed(items: list[str], most: int = 12) -> str:
    return "; ".join(items[:most] + [f"and {len(items) - most:,} more"] * (len(items) > most))


def summary(
    c: ExportChronology,
    shown: tuple[datetime.date, datetime.date],
    by_agency: dict[str, list[ExportEntry]],
    pre: PrePeriod,
) -> str:
    """The picture's description, for those who do not see it: the table's entries in sum, with the
    agencies and their counts, the gaps and the key episodes (the first dozen of each)."""
    first, last = shown
    counts = [
        f"{name}, {plural(len(entries) + pre.by_agency.get(name, 0), 'entry', 'entries')}"
        for name, entries in by_agency.items()
    ]
    gaps = [f"{day(g.start)} to {day(g.end)} ({plural(g.days, 'day', 'days')})" for g in c.gaps]
    episodes = [f"{ep.title}, {day(ep.start)} to {day(ep.end)}" for ep in c.episodes]
    significant, outside = sum(e.significant for e in c.entries), sum(not e.in_scope for e in c.entries)
    sentences = [
        f"Timeline of {plural(len(c.entries), 'entry', 'entries')} from "
        f"{plural(len(by_agency), 'agency', 'agencies')} in version {c.version} of the integrated chronology,"
        f" from {day(first)} to {day(last)}; review period {f'{day(c.scope_start)} to {day(c.scope_end)}'};"
        f" {significant:,} significant, {outside:,} outside the review period.",
        f"Agencies: {listed(counts)}." if counts else "",
        f"{plural(len(c.gaps), 'gap', 'gaps')} in agency contact{': ' * bool(gaps)}{listed(gaps)}.",
        f"{plural(len(c.episodes), 'key episode', 'key episodes')}{': ' * bool(episodes)}{listed(episodes)}.",
        f"{pre.summary()}: counted beside each agency, not drawn." if pre.count else "",
        "Entries of one agency a few days apart are drawn as one mark with their number.",
        "Every entry is listed in the chronology's table.",
    ]
    return " ".join(sentence for sentence in sentences if sentence)
