"""The timeline as the chronology PDF prints it (chronology.integrated.timeline_print): the same
marks in far fewer elements, and no pointer targets."""

import datetime
import random
import re

from chronology.integrated.timeline_print import print_timeline
from chronology.integrated.timeline_svg import timeline_svg
from tests.chronology.test_timeline import SCOPE, chronology, entry, parse, with_class

SHAPE = re.compile(r"<(?:rect|circle|polygon) [^>]*/>")


def _crowded() -> str:
    """Three thousand entries in four lanes, most of them the police's (a lane with more entries
    than pixels, drawn as crowded ticks): significant diamonds, month bars, counts on clustered
    marks, hollow marks outside the review period."""
    rng = random.Random(3)
    agencies = ["Police", "Health", "Housing", "Children's social care"]
    entries = []
    for seq in range(1, 3001):
        start = SCOPE[0] + datetime.timedelta(days=rng.randrange(-200, 3 * 365))
        if seq % 9 == 0:
            start = start.replace(day=1)
            end = start + datetime.timedelta(days=27)
            entries.append(entry(seq, start, end, precision="month", agency=rng.choice(agencies)))
        else:
            agency = "Police" if seq % 5 else rng.choice(agencies)
            entries.append(entry(seq, start, agency=agency, significant=seq % 40 == 0))
    return timeline_svg(chronology(entries, agencies))


def _marks(svg: str) -> str:
    """The marks' group and what follows it up to the next group: the targets, or the episodes."""
    return re.split(r'<g class="(?:targets|episodes)">', svg.split('<g class="marks"', 1)[1], maxsplit=1)[0]


def test_every_mark_is_drawn_with_the_same_paint_in_far_fewer_elements():
    svg = _crowded()
    printed = print_timeline(svg)
    shapes = SHAPE.findall(_marks(svg))
    fill_only = [s for s in shapes if "stroke=" not in s]
    stroked = [s for s in shapes if "stroke=" in s]
    assert len(fill_only) > 300 and stroked  # crowded ticks, and diamonds and bars

    root = parse(printed)  # still well-formed
    assert not with_class(root, "mark") and not with_class(root, "target") and not with_class(root, "targets")
    marks = _marks(printed)
    # The stroked marks as they were, in the same order; the ticks as subpaths of a few paths,
    # one subpath each, in their own fills.
    assert SHAPE.findall(marks) == stroked
    assert re.findall(r'<text class="mark-count"[^>]*>[^<]*</text>', marks) == re.findall(
        r'<text class="mark-count"[^>]*>[^<]*</text>', _marks(svg)
    )  # the counts on crowded marks, still drawn over them
    paths = re.findall(r'<path d="([^"]*)" ([^/]*)/>', marks)
    assert sum(d.count("M") for d, _ in paths) == len(fill_only)
    assert {paint for _, paint in paths} == {re.search(r'fill="[^"]*"', s).group(0) for s in fill_only}
    assert len(paths) < len(fill_only) / 20
    assert len(re.findall(r"<\w", printed)) < len(re.findall(r"<\w", svg)) / 3


def test_what_is_not_a_mark_or_a_target_is_left_as_it_was():
    svg = _crowded()
    printed = print_timeline(svg)
    before, after = svg.split('<g class="marks"', 1)[0], printed.split('<g class="marks"', 1)[0]
    assert before == after  # title, description, lanes, axis, gaps, episode bands
    assert svg.split('<g class="targets">', 1)[1].split("</title><rect", 1)[0].startswith('<g class="target">')
    rest = svg.split('<g class="targets">', 1)[1]
    assert rest[rest.index('<g class="', rest.rindex('class="hit"')) :] in printed  # episodes, legend


def test_a_group_holding_something_unknown_is_left_as_drawn():
    svg = _crowded().replace('<g class="marks" pointer-events="none">', '<g class="marks" pointer-events="none"><a/>')
    assert print_timeline(svg).count("<a/>") == 1 and '<g class="mark mark-' in print_timeline(svg)


def test_a_timeline_with_no_entries_prints_as_it_is_drawn_less_its_empty_groups():
    svg = timeline_svg(chronology([], ["Police"]))
    printed = print_timeline(svg)
    assert parse(printed) is not None
    assert printed.replace('<g class="marks"></g>', "") == svg.replace(
        '<g class="marks" pointer-events="none"></g>', ""
    ).replace('<g class="targets"></g>', "")
