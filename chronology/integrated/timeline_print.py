"""The timeline (chronology.integrated.timeline_svg) as a PDF prints it."""

from __future__ import annotations

import re
from collections.abc import Callable

# What places a shape; every other attribute is how it is painted.
_GEOMETRY = frozenset({"x", "y", "width", "height", "cx", "cy", "r", "points"})
_MARKS_OPEN = '<g class="marks" pointer-events="none">'
_TARGETS_OPEN = '<g class="targets">'
# What the two groups hold, one piece at a time: a mark (its shapes in a group), the count drawn
# on a crowded mark, a pointer target (its tooltip and its invisible square).
_MARK = re.compile(r'<g class="mark [\w -]*">((?:<(?:rect|circle|polygon) [^<>]*/>)+)</g>')
_COUNT = re.compile(r"<text [^<>]*>[^<>]*</text>")
_TARGET = re.compile(r'<g class="target"><title>[^<>]*</title><rect [^<>]*/></g>')
_SHAPE = re.compile(r"<(rect|circle|polygon) ([^<>]*?)/>")
_ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def print_timeline(svg: str) -> str:
    """A drawn timeline as a PDF prints it: the same picture in far fewer elements. The pointer
    targets (invisible squares with their tooltips) are left out, each mark's group is taken away,
    and each run of marks drawn with a fill alone (the crowded ticks, thousands of them) becomes
    one path. A PDF renderer lays out and draws every element, so at tens of thousands of
    entries this is seconds of every chronology PDF. A group holding anything else is left as
    it is drawn."""
    svg = _rewrite_group(svg, _TARGETS_OPEN, lambda pieces: "")
    return _rewrite_group(svg, _MARKS_OPEN, lambda pieces: f'<g class="marks">{_merged(pieces)}</g>')


def _rewrite_group(svg: str, opening: str, rewrite: Callable[[list[re.Match[str]]], str]) -> str:
    start = svg.find(opening)
    if start < 0:
        return svg
    pieces: list[re.Match[str]] = []
    at = start + len(opening)
    while not svg.startswith("</g>", at):
        piece = _MARK.match(svg, at) or _COUNT.match(svg, at) or _TARGET.match(svg, at)
        if piece is None:
            return svg  # not a group of the pieces this knows
        pieces.append(piece)
        at = piece.end()
    return svg[:start] + rewrite(pieces) + svg[at + len("</g>") :]


def _merged(pieces: list[re.Match[str]]) -> str:
    out: list[str] = []
    run_paint, run_path = "", list[str]()  # the run of fill-only shapes being joined, and its subpaths

    def close_run() -> None:
        if run_path:
            out.append(f'<path d="{"".join(run_path)}" {run_paint}/>')
            run_path.clear()

    for piece in pieces:
        if piece.re is not _MARK:
            close_run()
            out.append(piece.group(0))  # a count, drawn over the marks before it
            continue
        for shape in _SHAPE.finditer(piece.group(1)):
            kind, attributes = shape.group(1), dict(_ATTRIBUTE.findall(shape.group(2)))
            if "stroke" in attributes:
                close_run()
                out.append(shape.group(0))  # its stroke over a neighbour's fill: kept, in order
                continue
            paint = " ".join(f'{name}="{value}"' for name, value in attributes.items() if name not in _GEOMETRY)
            if paint != run_paint:
                close_run()
                run_paint = paint
            run_path.append(_subpath(kind, attributes))
    close_run()
    return "".join(out)


def _subpath(kind: str, a: dict[str, str]) -> str:
    if kind == "rect":
        return f"M{a['x']},{a['y']}h{a['width']}v{a['height']}h-{a['width']}z"
    if kind == "circle":
        cx, cy, r = float(a["cx"]), a["cy"], float(a["r"])
        return f"M{cx - r:.1f},{cy}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 -{2 * r},0z"
    first, *rest = a["points"].split()
    return f"M{first}L{' '.join(rest)}z"
