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
from dataclasses import dataclass, field

from chronology.exports.data import ExportChronology, ExportEntry, before_period_text
from chronology.integrated.timeline_text import esc

# One agency's point entries closer than this share a mark showing their count (room for two figures).
CLUSTER_PX = 12
PRE_W = 52  # the "Before" column between the lane names and the plot
MUTED = "#595959"


@dataclass(frozen=True)
class PrePeriod:
    """The entries that ended before the review period began, counted by agency."""

    count: int = 0
    first_year: int = 0
    last_year: int = 0
    by_agency: Counter = field(default_factory=Counter)

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
    counted = PrePeriod(
        count=len(before),
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


def pre_period_count(pre: PrePeriod, agency: str, label_w: float, cy: float) -> str:
    """A lane's count of entries before the review period, in the "Before" column."""
    count = pre.by_agency.get(agency, 0)
    if not count:  # a lane with nothing before the period leaves its cell empty
        return ""
    tip = f"{agency}: {count:,} {'entry' if count == 1 else 'entries'} before the review period"
    return (
        f'<g class="pre-period-count"><title>{esc(tip)}</title>'
        f'<text x="{label_w + pre.width / 2:.1f}" y="{cy + 4:.1f}" font-size="11" text-anchor="middle" '
        f'fill="{MUTED}">{count:,}</text></g>'
    )


Mark = tuple[float, float | None, list[ExportEntry]]  # left, right (None for a point), the entries


def clustered(marks: list[Mark]) -> list[Mark]:
    """Point marks of one lane closer than CLUSTER_PX joined into one (significant entries apart
    from the rest, so they still show as diamonds); bars as they are."""
    points = sorted((m for m in marks if m[1] is None), key=lambda m: (m[2][0].significant, m[0]))
    out = [m for m in marks if m[1] is not None]
    current: Mark | None = None
    for left, _right, group in points:
        if current and current[2][0].significant == group[0].significant and left - current[0] < CLUSTER_PX:
            current[2].extend(group)
            continue
        current = (left, None, list(group))
        out.append(current)
    return out


def count_label(mark: Mark, cy: float) -> str:
    """The number of entries a clustered mark stands for, just above it."""
    if len(mark[2]) < 2:
        return ""
    return (
        f'<text class="mark-count" x="{mark[0]:.1f}" y="{cy - 8:.1f}" font-size="9" text-anchor="middle">'
        f"{len(mark[2])}</text>"
    )
