"""The integrated chronology as a timeline picture: one self-contained SVG element.

Pure: an ExportChronology in, SVG text out; no Django, no database, no network. The same string
goes inline in the chronology page and into WeasyPrint PDFs, so it uses presentation attributes
only (no CSS file, script or external reference) and colours that read on white.

Dense lanes are aggregated: in a lane with more entries than the plot is pixels wide, entries in
the same small bucket of pixels share a mark, so 100,000 entries stay a few thousand elements.
Pointing is apart from drawing: a lane is cut into cells TARGET pixels wide, and a cell holding
entries is one target titled with them, never under 24 by 24 pixels nor overlapping another.
Nothing is a link or takes the focus: the picture is an image; the table lists every entry.
Text is laid out for the widest a reader's letter and word spacing make it (SVG text never
wraps by itself): lane names are wrapped, never cut.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from chronology.exports.data import ExportChronology, ExportEntry
from chronology.integrated.timeline_text import day, esc, fit, plural, same, summary, target_title, text_width, wrap
from chronology.integrated.timeline_zoom import (
    TARGET,
    Box,
    PrePeriod,
    clustered,
    count_label,
    pre_period,
    pre_period_column,
    pre_period_count,
    text_box,
)

INK = "#1a1a1a"  # text: 17:1 on white
MUTED = "#595959"  # axis and lane lines: 7:1
GRID = "#d0d0d0"
MARK = "#1d4f91"  # ordinary entries: 8:1
MARK_LIGHT = "#6d8cbf"  # crowded entries outside the review period: 3.4:1
SIGNIFICANT = "#b3261e"  # significant entries: 6:1, and always a diamond too, never colour alone
REVIEW_FILL = "#e8eff8"
EPISODE_FILL = "#e3ecd9"
EPISODE_EDGE = "#3f6321"
GAP_FILL = "#f2f2f2"
GAP_HATCH = "#8a8a8a"
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"  # one family in every output
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

LABEL_MIN, LABEL_MAX = 140, 0.22  # lane label column: at least this, at most this share of the width
RIGHT = 24
LANE_H = 28  # at least; a lane is as tall as its wrapped name
LINE_H = 15  # between the lines of a lane's name (12 px text)
ROW_H = 20  # episode, review period and gap label rows
BUCKET_PX = 2  # aggregation bucket in dense lanes
MIN_BAR_PX = 3


def _group(name: str, parts: list[str]) -> str:
    return f'<g class="{name}">{"".join(parts)}</g>'


@dataclass(frozen=True)
class _Scale:
    first: int  # ordinal of the first day shown
    days: int  # number of days shown
    x0: float
    x1: float

    def x(self, ordinal: int) -> float:
        """Left edge of a day (a day before the first shown at the plot's left edge)."""
        return self.x0 + max(ordinal - self.first, 0) * (self.x1 - self.x0) / self.days

    def at(self, d: datetime.date) -> float:
        return self.x(d.toordinal())

    def after(self, d: datetime.date) -> float:
        """Right edge of a day, so an inclusive end date covers its whole day."""
        return self.x(d.toordinal() + 1)


def _scale(c: ExportChronology, width: int, label_w: float, *, zoomed: bool = False) -> _Scale:
    """From the earlier of scope start and first entry to the later of scope end and last entry;
    `zoomed` (entries before the review period are counted, not drawn): from the scope start."""
    starts = [c.scope_start, *(ep.start for ep in c.episodes), *(g.start for g in c.gaps)]
    if zoomed:
        starts = [c.scope_start]
    ends = [c.scope_end, *(ep.end for ep in c.episodes), *(g.end for g in c.gaps)]
    if c.entries and not zoomed:
        starts.append(min(e.date_start for e in c.entries))
    if c.entries:
        ends.append(max(e.date_end for e in c.entries))
    first, last = min(starts), max(ends)
    return _Scale(first.toordinal(), (last - first).days + 1, label_w, width - RIGHT)


def _stack(spans: list[tuple[float, float]]) -> list[int]:
    """A row for each (left, right) span, greedily, so that no two spans in one row overlap."""
    ends: list[float] = []
    rows: list[int] = []
    for left, right in spans:
        row = next((i for i, end in enumerate(ends) if left >= end + 6), len(ends))
        ends[row : row + 1] = [right]
        rows.append(row)
    return rows


def _axis(s: _Scale, top: float, bottom: float) -> list[str]:
    start, end = datetime.date.fromordinal(s.first), datetime.date.fromordinal(s.first + s.days - 1)
    px_year = (s.x1 - s.x0) * 365.25 / s.days
    step = next((n for n in (1, 2, 5, 10, 20, 50) if n * px_year >= 44), 100)
    parts = [f'<line x1="{s.x0}" y1="{bottom}" x2="{s.x1}" y2="{bottom}" stroke="{MUTED}"/>']
    months = s.days < 1096
    label_months = months and px_year / 12 >= 28
    year_y = bottom + (30 if label_months else 17)
    years = [y for y in range(start.year, end.year + 2) if y % step == 0 and start <= datetime.date(y, 1, 1) <= end]
    for year in years:
        x = f"{s.at(datetime.date(year, 1, 1)):.1f}"
        parts.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" stroke="{GRID}"/>')
        parts.append(f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 6}" stroke="{MUTED}"/>')
        parts.append(f'<text x="{x}" y="{year_y}" font-size="11" text-anchor="middle">{year}</text>')
    if not years:  # a span inside one year still says which year
        parts.append(f'<text x="{s.x0}" y="{year_y}" font-size="11">{start.year}</text>')
    if months:
        month = datetime.date(start.year, start.month, 1)
        while month <= end:
            following = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
            left, right = max(s.at(month), s.x0), min(s.at(following), s.x1)
            if month >= start:
                parts.append(
                    f'<line x1="{left:.1f}" y1="{bottom}" x2="{left:.1f}" y2="{bottom + 3}" stroke="{MUTED}"/>'
                )
            if label_months and right - left >= text_width("May", 11) + 2:
                parts.append(
                    f'<text x="{(left + right) / 2:.1f}" y="{bottom + 15}" font-size="11" text-anchor="middle">'
                    f"{MONTHS[month.month - 1]}</text>"
                )
            month = following
    return parts


def _is_point(e: ExportEntry) -> bool:
    return e.precision == "day" or e.date_start == e.date_end


Mark = tuple[float, float | None, list[ExportEntry]]  # left, right (None for a point), the entries it stands for


def _lane_marks(entries: list[ExportEntry], s: _Scale) -> tuple[list[Mark], bool]:
    """A lane's marks, bars under points and significant on top, and whether the lane is dense.

    In a dense lane (more entries than pixels) entries that fall in the same bucket of pixels share
    a mark, significant ones apart from the rest so that they still show as diamonds."""
    dense = len(entries) > s.x1 - s.x0
    marks: dict[object, Mark] = {}
    for e in entries:
        left = s.at(e.date_start)
        right = None if _is_point(e) else max(s.after(e.date_end), left + MIN_BAR_PX)
        width = BUCKET_PX * (4 if e.significant else 1)  # diamonds are wider than ticks
        bucket = (int(left // width), -1 if right is None else int(right // width))
        marks.setdefault((e.significant, *bucket) if dense else e.seq, (left, right, []))[2].append(e)
    order = sorted(marks.values(), key=lambda m: (m[1] is None, m[2][0].significant, any(e.in_scope for e in m[2])))
    return order, dense


def _diamond(x: float, y: float, r: float, fill: str, stroke: str) -> str:
    return (
        f'<polygon points="{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
    )


def _mark(mark: Mark, cy: float, tick: float | None = None, r: float = 6.5) -> str:
    """One entry's mark, or a crowded mark: a tick `tick` pixels tall for ordinary entries on known days."""
    left, right, group = mark
    significant = any(e.significant for e in group)
    colour = SIGNIFICANT if significant else MARK
    hollow = not any(e.in_scope for e in group)
    fill, edge = ("#ffffff", colour) if hollow else (colour, "#ffffff")
    kind = "point" if right is None else "bar"
    if tick is not None and right is None and not significant:
        shape = (
            f'<rect x="{left:.1f}" y="{cy - tick / 2:.1f}" width="{BUCKET_PX}" height="{tick:.1f}" '
            f'fill="{MARK_LIGHT if hollow else MARK}"/>'
        )
    elif right is None:
        shape = (
            _diamond(left, cy, r, fill, edge)
            if significant
            else f'<circle cx="{left:.1f}" cy="{cy}" r="4" fill="{fill}" stroke="{edge}" stroke-width="1.5"/>'
        )
    else:
        h = 10 if significant else 6
        shape = (
            f'<rect x="{left:.1f}" y="{cy - h / 2}" width="{right - left:.1f}" height="{h}" '
            f'fill="{fill}" stroke="{colour}" stroke-width="1"/>'
        )
        if significant:
            shape += _diamond((left + right) / 2, cy, 6.5, fill, edge)
    return f'<g class="mark mark-{kind}">{shape}</g>'


def _targets(entries: list[ExportEntry], s: _Scale, cy: float, clean: Callable[[str], str]) -> list[str]:
    """A lane's pointer targets: a TARGET-pixel square for each cell of the lane holding entries
    (an entry is in the cell of its middle), transparent, over the marks, titled with its entries."""
    cells: dict[int, list[ExportEntry]] = {}
    per_day = (s.x1 - s.x0) / s.days / TARGET  # cells per day: counted in days, for speed at 100,000 entries
    for e in entries:
        start = e.date_start.toordinal()
        middle = (
            start if e.precision == "day" or e.date_start == e.date_end else (start + e.date_end.toordinal() + 1) / 2
        )
        cells.setdefault(int((middle - s.first) * per_day), []).append(e)
    return [
        f'<g class="target"><title>{esc(target_title(group, clean))}</title><rect class="hit" '
        f'x="{s.x0 + cell * TARGET:.1f}" y="{cy - TARGET / 2}" width="{TARGET}" height="{TARGET}" '
        f'fill="#ffffff" fill-opacity="0"/></g>'
        for cell, group in sorted(cells.items())
    ]


def _entries_by_agency(c: ExportChronology) -> dict[str, list[ExportEntry]]:
    by_agency: dict[str, list[ExportEntry]] = {name: [] for name in c.agencies}
    for e in c.entries:
        by_agency.setdefault(e.agency, []).append(e)  # an agency missing from the list still gets a lane
    return by_agency


def _label_width(agencies: list[str], width: int) -> float:
    """The lane label column: as wide as the longest name needs, within LABEL_MIN and LABEL_MAX."""
    widest = max((text_width(name, 12) for name in agencies), default=0)
    return round(min(max(widest + 16, LABEL_MIN), max(width * LABEL_MAX, LABEL_MIN)))


Lane = tuple[str, list[ExportEntry], list[str], float]  # agency, its entries, its name's lines, height


def _lane_layout(by_agency: dict[str, list[ExportEntry]], label_w: float) -> list[Lane]:
    """Each agency's lane, as tall as its name wrapped to the label column."""
    wrapped = [(agency, entries, wrap(agency, label_w - 16, 12)) for agency, entries in by_agency.items()]
    return [(agency, entries, lines, max(LANE_H, len(lines) * LINE_H + 13)) for agency, entries, lines in wrapped]


def _lane_label(agency: str, lines: list[str], cy: float) -> str:
    """The agency's whole name, a line to each <tspan>, centred on the lane; a line that ends
    between words keeps its space, so that the text reads as the name."""
    first, rest, spans = cy + 4 - (len(lines) - 1) * LINE_H / 2, " ".join(agency.split()), []
    for i, line in enumerate(lines):
        rest = rest[len(line) :]
        spans.append(f'<tspan x="8" y="{first + i * LINE_H:.1f}">{esc(line)}{" " * rest.startswith(" ")}</tspan>')
        rest = rest.lstrip(" ")
    return f'<g class="lane-label"><title>{esc(agency)}</title><text>{"".join(spans)}</text></g>'


def _lanes(
    lanes: list[Lane], s: _Scale, top: float, clean: Callable[[str], str], pre: PrePeriod, taken: list[Box]
) -> tuple[list[str], list[str], list[str], tuple[bool, bool]]:
    """Lane labels (with each lane's count before the review period), marks and pointer targets,
    and whether any lane was dense enough to share marks between entries, and whether any marks
    were clustered with a count (placed clear of the text in `taken`)."""
    parts: list[str] = []
    drawn: list[str] = []
    targets: list[str] = []
    aggregated = counted = False
    bottom = top
    for agency, entries, lines, height in lanes:
        bottom, cy = bottom + height, bottom + height / 2
        parts.append(f'<line x1="8" y1="{bottom}" x2="{s.x1}" y2="{bottom}" stroke="{GRID}"/>')
        parts.append(_lane_label(agency, lines, cy))
        count, target = pre_period_count(pre, agency, s.x0 - pre.width, cy, clean)
        parts.append(count)
        targets.append(target)
        marks, dense = _lane_marks(entries, s)
        aggregated = aggregated or dense
        if not dense:
            marks = clustered(marks)
        # A dense lane draws bars below a strip of ticks whose height shows how many entries each stands for.
        most = max((len(m[2]) for m in marks if m[1] is None), default=1)
        for mark in marks:
            if not dense:
                drawn.append(_mark(mark, cy) + count_label(mark, cy, taken))
                counted = counted or len(mark[2]) > 1
            elif mark[1] is None:
                drawn.append(_mark(mark, cy - 3, tick=3 + 11 * len(mark[2]) / most, r=5))
            else:
                drawn.append(_mark(mark, cy + 8))
        targets += _targets(entries, s, cy, clean)
    if not lanes:
        parts.append(f'<text x="{s.x0 + 8}" y="{top + LANE_H / 2 + 4}" fill="{MUTED}">No entries</text>')
    return parts, drawn, targets, (aggregated, counted)


def _episodes(c: ExportChronology, s: _Scale, top: float) -> tuple[list[str], float]:
    """Episode bands in rows along the top; a label that would run off the right edge ends there instead."""
    placed = []
    for ep in sorted(c.episodes, key=lambda ep: ep.start):
        left, right, label = s.at(ep.start), s.after(ep.end), fit(ep.title, s.x1 - 8, 11)
        width = text_width(label, 11)
        # Inside the band if it fits, else just after it, else just before it.
        label_x = (
            left + 4 if width + 8 <= right - left else right + 4 if right + 4 + width <= s.x1 else left - 4 - width
        )
        label_x = max(8, label_x)
        placed.append((ep, left, right, label, label_x, (min(left, label_x), max(right, label_x + width))))
    rows = _stack([span for *_, span in placed])
    parts = []
    for (ep, left, right, label, label_x, _), row in zip(placed, rows, strict=True):
        y, tip = top + row * ROW_H, f"Key practice episode: {ep.title}, {day(ep.start)} to {day(ep.end)}"
        parts.append(
            f'<g class="episode"><title>{esc(tip)}</title><rect x="{left:.1f}" y="{y}" width="{right - left:.1f}" '
            f'height="16" fill="{EPISODE_FILL}" stroke="{EPISODE_EDGE}"/>'
            f'<text x="{label_x:.1f}" y="{y + 12}" font-size="11">{esc(label)}</text></g>'
        )
    return parts, (max(rows) + 1) * ROW_H if rows else 0


# A band narrower than this carries no label of its own across the lanes (the row above names it).
BAND_LABEL_MIN_PX = 36


def _episode_bands(c: ExportChronology, s: _Scale, top: float, height: float) -> tuple[list[str], list[Box]]:
    """Each episode as a band down the agency lanes, behind the marks, so the entries inside it
    read as one episode; its label sits on the band (shortened to fit), its full title and dates
    in the band's tooltip. With them, where their labels are drawn."""
    parts: list[str] = []
    taken: list[Box] = []
    for ep in sorted(c.episodes, key=lambda ep: (ep.start, ep.end)):
        left, right = s.at(ep.start), s.after(ep.end)
        tip = f"Key practice episode: {ep.title}, {day(ep.start)} to {day(ep.end)}"
        label = ""
        if right - left >= BAND_LABEL_MIN_PX:
            words = fit(ep.title, right - left - 6, 10)
            taken.append(text_box(left + 3, top + 11, words, 10))
            label = (
                f'<text class="episode-band-label" x="{left + 3:.1f}" y="{top + 11}" font-size="10" '
                f'fill="{EPISODE_EDGE}">{esc(words)}</text>'
            )
        parts.append(
            f'<g class="episode-band"><title>{esc(tip)}</title><rect x="{left:.1f}" y="{top}" '
            f'width="{right - left:.1f}" height="{height}" fill="{EPISODE_FILL}" fill-opacity="0.55" '
            f'stroke="{EPISODE_EDGE}" stroke-dasharray="3 2"/>{label}</g>'
        )
    return parts, taken


def _gaps(c: ExportChronology, s: _Scale, top: float, lanes_height: float, pid: str) -> tuple[list[str], float]:
    """Gap labels in rows from top (so that labels of close gaps do not collide), hatching the lanes below them."""
    gaps = sorted(c.gaps, key=lambda g: g.start)
    labels = [f"Gap: {plural(g.days, 'day', 'days')}" for g in gaps]
    half = [text_width(t, 11) / 2 for t in labels]
    centres = [min(max((s.at(g.start) + s.after(g.end)) / 2, 8 + h), s.x1 - h) for g, h in zip(gaps, half, strict=True)]
    rows = _stack([(x - h, x + h) for x, h in zip(centres, half, strict=True)])
    lanes_top = top + (max(rows, default=-1) + 1) * ROW_H
    parts = []
    for gap, label, x, row in zip(gaps, labels, centres, rows, strict=True):
        left, right = s.at(gap.start), s.after(gap.end)
        tip = f"Gap in agency contact: {day(gap.start)} to {day(gap.end)} ({plural(gap.days, 'day', 'days')})"
        parts.append(
            f'<g class="gap"><title>{esc(tip)}</title><rect x="{left:.1f}" y="{lanes_top}" width="{right - left:.1f}" '
            f'height="{lanes_height}" fill="url(#{pid}-hatch)" stroke="{GAP_HATCH}"/>'
            f'<text x="{x:.1f}" y="{top + row * ROW_H + 13}" font-size="11" text-anchor="middle">{label}</text></g>'
        )
    return parts, lanes_top - top


def _legend(top: float, width: int, pid: str, shared: tuple[bool, bool]) -> tuple[list[str], float]:
    aggregated, counted = shared
    y = 8
    box = '<rect x="0" y="{}" width="18" height="{}" fill="{}" stroke="{}"/>'.format
    items = [
        ("Entry on a known day", f'<circle cx="9" cy="{y}" r="4" fill="{MARK}"/>'),
        ("Imprecise date (month, season, year, range)", box(y - 3, 6, MARK, MARK)),
        ("Significant entry", _diamond(9, y, 6.5, SIGNIFICANT, "#ffffff")),
        (
            "Outside the review period",
            f'<circle cx="9" cy="{y}" r="4" fill="#ffffff" stroke="{MARK}" stroke-width="1.5"/>',
        ),
        ("Review period", box(y - 6, 12, REVIEW_FILL, MUTED)),
        ("Gap in agency contact", box(y - 6, 12, f"url(#{pid}-hatch)", GAP_HATCH)),
        ("Key practice episode", box(y - 6, 12, EPISODE_FILL, EPISODE_EDGE)),
    ]
    if counted:
        items.append(("Entries close together: one mark, their number above it", '<text x="9" y="4" font-size="9" '
                      f'text-anchor="middle">3</text><circle cx="9" cy="{y + 2}" r="4" fill="{MARK}"/>'))  # fmt: skip
    if aggregated:
        ticks = f'<rect x="4" y="{y - 7}" width="2" height="14" fill="{MARK}"/>'
        ticks += f'<rect x="9" y="{y - 3}" width="2" height="6" fill="{MARK}"/>'
        items.append(("Crowded entries: taller is more (count in its tooltip)", ticks))
    parts, x, row = [], 8.0, 0
    for label, swatch in items:
        item_w = 24 + text_width(label, 11) + 16
        if x + item_w > width - RIGHT and x > 8:
            x, row = 8.0, row + 1
        parts.append(
            f'<g transform="translate({x:.0f},{top + row * ROW_H})">{swatch}'
            f'<text x="24" y="{y + 4}" font-size="11">{esc(label)}</text></g>'
        )
        x += item_w
    return [_group("legend", parts)], (row + 1) * ROW_H


def timeline_svg(
    chronology: ExportChronology,
    *,
    width: int = 1100,
    title: str | None = None,
    clean: Callable[[str], str] = same,
) -> str:
    """The integrated chronology as one <svg> image: a lane per agency, gaps, episodes and a legend.

    title, if given, is shown as a heading and used as the accessible name. clean, if given, is
    applied to an entry's event and details where a target's title shows them: a caller holding
    the agencies' own words passes the review's anonymiser, so that only the few entries named
    one by one pay for it (a crowded target shows counts, not text)."""
    if width < 500:
        raise ValueError("A timeline needs at least 500 pixels of width.")
    # Entries before the review period are counted by lane, not drawn (timeline_zoom).
    pre, drawn = pre_period(chronology)
    c = dataclasses.replace(chronology, entries=drawn, agencies=[*chronology.agencies, *pre.by_agency])
    by_agency = _entries_by_agency(c)
    label_w = _label_width(list(by_agency), width)
    s = _scale(c, width, label_w + pre.width, zoomed=bool(pre.count))
    pid = "tl-" + hashlib.sha1(f"{c.reference}|{c.version}|{c.built_at}".encode()).hexdigest()[:10]
    # Top to bottom: heading, episode rows, pre-period line, review period, gap labels, lanes, axis, legend.
    top = 10 + (26 if title else 0)
    episodes, episodes_height = _episodes(c, s, top)
    review_y = top + episodes_height + (ROW_H if pre.count else 0)
    layout = _lane_layout(by_agency, label_w)
    lanes_height = sum(lane[3] for lane in layout) or LANE_H
    gaps, gap_labels_height = _gaps(c, s, review_y + ROW_H, lanes_height, pid)
    lanes_top = review_y + ROW_H + gap_labels_height
    lanes_bottom = lanes_top + lanes_height
    bands, taken = _episode_bands(c, s, lanes_top, lanes_height)  # taken: text the marks' counts clear
    labels, marks, targets, shared = _lanes(layout, s, lanes_top, clean, pre, taken)
    labels += pre_period_column(pre, label_w, review_y - ROW_H + 14, review_y + 11)
    legend, legend_height = _legend(lanes_bottom + 44, width, pid, shared)
    total_height = lanes_bottom + 44 + legend_height + 6
    name = title or f"Timeline of the integrated chronology, {c.reference} {c.case_name}".strip()
    return "".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_height:.0f}" '
            f'viewBox="0 0 {width} {total_height:.0f}" role="img" aria-labelledby="{pid}-title {pid}-desc" '
            f'font-family="{FONT}" font-size="12" fill="{INK}" class="chronology-timeline">',
            f'<title id="{pid}-title">{esc(name)}</title>',
            f'<desc id="{pid}-desc">{esc(summary(chronology, _shown(s), by_agency, pre))}</desc>',
            _hatch(pid),
            f'<rect width="{width}" height="{total_height:.0f}" fill="#ffffff"/>',
            f'<text x="8" y="28" font-size="16" font-weight="bold">{esc(title)}</text>' if title else "",
            _review_period(c, s, review_y, lanes_top, lanes_bottom),
            *gaps,
            _group("episode-bands", bands),
            _group("axis", _axis(s, lanes_top, lanes_bottom)),
            _group("lanes", labels),
            # Only the targets answer the pointer: a mark is under its target or just beside it.
            f'<g class="marks" pointer-events="none">{"".join(marks)}</g>',
            _group("targets", targets),
            _group("episodes", episodes),
            *legend,
            "</svg>",
        ]
    )


def _hatch(pid: str) -> str:
    """The gaps' hatching, defined once."""
    return (
        f'<defs><pattern id="{pid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{GAP_FILL}"/>'
        f'<path d="M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5" stroke="{GAP_HATCH}" stroke-width="1"/></pattern></defs>'
    )


def _shown(s: _Scale) -> tuple[datetime.date, datetime.date]:
    return datetime.date.fromordinal(s.first), datetime.date.fromordinal(s.first + s.days - 1)


def _review_span(c: ExportChronology) -> str:
    return f"{day(c.scope_start)} to {day(c.scope_end)}"


def _review_period(c: ExportChronology, s: _Scale, review_y: float, lanes_top: float, lanes_bottom: float) -> str:
    """The review period: shaded behind the lanes, with a labelled bracket above them."""
    left, right = s.at(c.scope_start), s.after(c.scope_end)
    span = _review_span(c)
    label = f"Review period: {span}"
    if text_width(label, 11) > right - left:
        label = "Review period"
    return (
        f'<g class="review-period"><title>{esc(f"Review period: {span}")}</title>'
        f'<rect x="{left:.1f}" y="{lanes_top}" width="{right - left:.1f}" height="{lanes_bottom - lanes_top}" '
        f'fill="{REVIEW_FILL}"/><path d="M{left:.1f},{review_y + 20} v-5 H{right:.1f} v5" fill="none" '
        f'stroke="{MUTED}"/><text x="{(left + right) / 2:.1f}" y="{review_y + 11}" font-size="11" '
        f'text-anchor="middle">{esc(label)}</text></g>'
    )
