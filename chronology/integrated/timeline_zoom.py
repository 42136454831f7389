"""The timeline picture's zoom to the review period (timeline_svg): what happened before it is
counted, not drawn, and entries of one agency a few pixels apart become one mark with a count.

A review's chronology often opens with years of history before its period (a perpetrator's
record since 2000 for a review from 2008): drawn to scale, it takes half the picture's width and
crams the review period's weeks into a few pixels. So the picture starts at the review period;
each lane says how many of its entries came before (a column headed "Before"), and a line above
the lanes sums them up ("64 entries before the review period, 2000 to 2008").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from chronology.exports.data import ExportChronology, ExportEntry, before_period_text
from chronology.integrated.timeline_text import esc, target_title, text_width

# One agency's point entries closer than this share a mark showing their count (room for two figures).
CLUSTER_PX = 12
PRE_W = 52  # the "Before" column between the lane names and the plot
MUTED = "#595959"
TARGET = 24  # the side of what a pointer aims at, in pixels (WCAG 2.5.8)


@dataclass(frozen=True)
class PrePeriod:
    """The entries that ended before the review period began, counted by agency."""

    count: int = 0
    first_year: int = 0
    last_year: int = 0
    by_agency: Counter = field(default_factory=Counter)
    entries: dict[str, list[ExportEntry]] = field(default_factory=dict)  # by agency

    @property
    def width(self) -> int:
        return PRE_W if self.count else 0

    def summary(self) -> str:
        """ "64 entries before the review period, 2000 to 2008" """
        return before_period_text(self.count, self.first_year, self.last_year) if self.count else ""


def pre_period(chronology: ExportChronology) -> tuple[PrePeriod, list[ExportEntry]]:
    """The entries before the review period, counted, and the entries drawn (the rest)."""
    start = chronology.scope_start
    before = [e for e in chronology.entries if e.date_end < start]
    if not before:
        return PrePeriod(), chronology.entries
    by_agency: dict[str, list[ExportEntry]] = {}
    for e in before:
        by_agency.setdefault(e.agency, []).append(e)
    counted = PrePeriod(
        count=len(before),
        entries=by_agency,
        first_year=min(e.date_start for e in before).year,
        last_year=max(e.date_end for e in before).year,
        by_agency=Counter(e.agency for e in before),
    )
    return counted, [e for e in chronology.entries if e.date_end >= start]


def pre_period_column(pre: PrePeriod, label_w: float, summary_y: float, heading_y: float) -> list[str]:
    """The heading of the "Before" column and the summary line above the lanes."""
    if not pre.count:
        return []
    x = label_w + pre.width / 2
    return [
        f'<g class="pre-period"><title>{esc(pre.summary())}</title>'
        f'<text x="8" y="{summary_y:.1f}" font-size="11" fill="{MUTED}">{esc(pre.summary())}:'
        " counted in the Before column, not drawn</text>"
        f'<text x="{x:.1f}" y="{heading_y:.1f}" font-size="11" font-weight="bold" text-anchor="middle">'
        "Before</text></g>"
    ]


def pre_period_count(
    pre: PrePeriod, agency: str, label_w: float, cy: float, clean: Callable[[str], str]
) -> tuple[str, str]:
    """A lane's count of entries before the review period, in the "Before" column, and the
    pointer's target over it naming them (as a target in the plot names its entries)."""
    entries = pre.entries.get(agency, [])
    if not entries:  # a lane with nothing before the period leaves its cell empty
        return "", ""
    x = label_w + pre.width / 2
    tip = f"{agency}: {len(entries):,} {'entry' if len(entries) == 1 else 'entries'} before the review period"
    count = (
        f'<g class="pre-period-count"><title>{esc(tip)}</title>'
        f'<text x="{x:.1f}" y="{cy + 4:.1f}" font-size="11" text-anchor="middle" '
        f'fill="{MUTED}">{len(entries):,}</text></g>'
    )
    target = (
        f'<g class="target"><title>{esc(target_title(entries, clean))}\nBefore the review period</title>'
        f'<rect class="hit" x="{x - TARGET / 2:.1f}" y="{cy - TARGET / 2:.1f}" width="{TARGET}" height="{TARGET}" '
        'fill="#ffffff" fill-opacity="0"/></g>'
    )
    return count, target


Mark = tuple[float, float | None, list[ExportEntry]]  # left, right (None for a point), the entries


def clustered(marks: list[Mark]) -> list[Mark]:
    """Point marks of one lane closer than CLUSTER_PX joined into one (a diamond if any of its
    entries is significant); bars as they are."""
    points = sorted((m for m in marks if m[1] is None), key=lambda m: m[0])
    out = [m for m in marks if m[1] is not None]
    current: Mark | None = None
    for left, _right, group in points:
        if current and left - current[0] < CLUSTER_PX:
            current[2].extend(group)
            continue
        current = (left, None, list(group))
        out.append(current)
    return out


Box = tuple[float, float, float, float]  # left, top, right, bottom


def text_box(x: float, baseline: float, text: str, size: float, *, centred: bool = False) -> Box:
    """Where a line of text is drawn, at its widest (a reader's spacing included)."""
    width = text_width(text, size)
    left = x - width / 2 if centred else x
    return (left, baseline - size, left + width, baseline + size * 0.3)


def _clear(box: Box, taken: list[Box]) -> bool:
    return all(box[2] <= o[0] or o[2] <= box[0] or box[3] <= o[1] or o[3] <= box[1] for o in taken)


def count_label(mark: Mark, cy: float, taken: list[Box]) -> str:
    """The number of entries a clustered mark stands for, just above it, else just below it,
    wherever it clears the text already placed (`taken`, which it joins); where neither does,
    no number: the mark's target still counts its entries."""
    if len(mark[2]) < 2:
        return ""
    text = f"{len(mark[2]):,}"
    for baseline in (cy - 8, cy + 15):
        box = text_box(mark[0], baseline, text, 9, centred=True)
        if _clear(box, taken):
            taken.append(box)
            return (
                f'<text class="mark-count" x="{mark[0]:.1f}" y="{baseline:.1f}" font-size="9" '
                f'text-anchor="middle">{text}</text>'
            )
    return ""
