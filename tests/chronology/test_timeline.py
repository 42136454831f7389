"""The timeline picture of the integrated chronology: one self-contained SVG for the page and the PDF.

Pure, so no database: chronologies are built directly and the SVG is read back as XML.
"""

import dataclasses
import datetime
import random
import xml.etree.ElementTree as ET

import pytest

from chronology.exports.data import ExportChronology, ExportEntry, ExportEpisode, ExportGap
from chronology.integrated.timeline_svg import timeline_svg

D = datetime.date
NS = {"svg": "http://www.w3.org/2000/svg"}
SCOPE = (D(2010, 1, 1), D(2012, 12, 31))


def entry(
    seq: int, start: D, end: D | None = None, *, precision: str = "day", agency: str = "Police", **kw
) -> ExportEntry:
    values = dict(
        seq=seq,
        date_start=start,
        date_end=end or start,
        precision=precision,
        date_display=start.strftime("%d/%m/%Y"),
        time=None,
        agency=agency,
        people=[],
        source="",
        practitioner="",
        event="Home visit",
        details="Spoke to the victim alone.",
        outcome="",
        comment="",
        significant=False,
        in_scope=SCOPE[0] <= start <= SCOPE[1],
    )
    return ExportEntry(**(values | kw))


def chronology(entries: list[ExportEntry], agencies: list[str] | None = None, **kw) -> ExportChronology:
    values = dict(
        reference="BDHR2012/13-04",
        review_type="dhr",
        review_type_label="Domestic Homicide Review",
        case_name="Family B",
        partnership="Borough Community Safety Partnership",
        scope_start=SCOPE[0],
        scope_end=SCOPE[1],
        built_at=datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC),
        version=1,
        names="designations",
        agencies=agencies if agencies is not None else sorted({e.agency for e in entries}),
        entries=entries,
        gaps=[],
        episodes=[],
        marking="OFFICIAL-SENSITIVE",
    )
    return ExportChronology(**(values | kw))


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # raises if the SVG is not well-formed XML


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in el.get("class", "").split()]


def title_of(el: ET.Element) -> str:
    return el.find("svg:title", NS).text


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{{{NS['svg']}}}text")]


def target_titles(root: ET.Element) -> list[str]:
    return [title_of(target) for target in with_class(root, "target")]


def hit_boxes(root: ET.Element) -> list[tuple[float, float, float, float]]:
    """Each target's rectangle: left, top, right, bottom."""
    boxes = []
    for target in with_class(root, "target"):
        rect = target.find("svg:rect", NS)
        x, y, w, h = (float(rect.get(name)) for name in ("x", "y", "width", "height"))
        boxes.append((x, y, x + w, y + h))
    return boxes


def test_svg_is_an_accessible_image_with_a_summary():
    c = chronology(
        [entry(1, D(2010, 3, 1)), entry(2, D(2011, 5, 1), agency="Health Visiting")],
        gaps=[ExportGap(D(2011, 6, 1), D(2012, 6, 1), 366)],
    )
    root = parse(timeline_svg(c))

    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"svg:title[@id='{title_id}']", NS) is not None
    desc = root.find(f"svg:desc[@id='{desc_id}']", NS).text
    assert desc.startswith(
        "Timeline of 2 entries from 2 agencies in version 1 of the integrated chronology, "
        "from 1 Jan 2010 to 31 Dec 2012; review period 1 Jan 2010 to 31 Dec 2012; 0 significant, 0 outside"
    )
    assert "Agencies: Health Visiting, 1 entry; Police, 1 entry." in desc
    assert "1 gap in agency contact: 1 Jun 2011 to 1 Jun 2012 (366 days). 0 key episodes." in desc
    assert desc.endswith("Every entry is listed in the chronology's table.")


def test_the_description_names_the_key_episodes_and_lists_at_most_a_dozen_gaps():
    gaps = [
        ExportGap(D(2010, 1, 1) + datetime.timedelta(days=40 * n), D(2010, 1, 20) + datetime.timedelta(days=40 * n), 20)
        for n in range(15)
    ]
    episode = ExportEpisode("The first key episode", D(2011, 8, 1), D(2011, 10, 31))
    desc = (
        parse(timeline_svg(chronology([entry(1, D(2010, 3, 1))], gaps=gaps, episodes=[episode])))
        .find("svg:desc", NS)
        .text
    )

    assert "15 gaps in agency contact: 1 Jan 2010 to 20 Jan 2010 (20 days);" in desc
    assert "; and 3 more. 1 key episode: The first key episode, 1 Aug 2011 to 31 Oct 2011." in desc


def test_svg_is_self_contained():
    svg = timeline_svg(chronology([entry(1, D(2010, 3, 1))]), title="Family B")

    assert "<script" not in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "Family B" in texts(parse(svg))


LONG_NAME = "Birmingham City Council – Children, Young People and Families Directorate"


def test_one_lane_label_per_agency_in_the_given_order_with_long_names_wrapped_whole():
    agencies = ["Police", LONG_NAME, "Probation"]  # Probation has no entries but still has a lane
    root = parse(
        timeline_svg(chronology([entry(1, D(2010, 3, 1)), entry(2, D(2010, 4, 1), agency=LONG_NAME)], agencies))
    )

    labels = with_class(root, "lane-label")
    assert [title_of(label) for label in labels] == agencies
    lines = [span.text.strip() for span in labels[1].iter(f"{{{NS['svg']}}}tspan")]
    assert len(lines) == 3 and " ".join(lines) == LONG_NAME
    assert LONG_NAME in texts(root) and "…" not in "".join(texts(root))  # read as one text, never cut
    # Each line, as wide as a reader's letter and word spacing make it, ends before the plot begins.
    plot_left = float(with_class(root, "review-period")[0].find("svg:rect", NS).get("x"))
    assert all(8 + len(line) * 12 * (0.64 + 0.12) + line.count(" ") * 12 * 0.16 <= plot_left for line in lines)
    # The lane is as tall as its name: three lines of 15 px and a margin.
    lines_y = [float(span.get("y")) for span in labels[1].iter(f"{{{NS['svg']}}}tspan")]
    assert lines_y[1] - lines_y[0] == lines_y[2] - lines_y[1] == 15


def test_day_entry_is_a_point_and_month_entry_is_a_bar_wider_than_a_point():
    c = chronology([entry(1, D(2011, 5, 9)), entry(2, D(2011, 8, 1), D(2011, 8, 31), precision="month")])
    root = parse(timeline_svg(c))

    (point,) = with_class(root, "mark-point")
    (bar,) = with_class(root, "mark-bar")
    circle = point.find("svg:circle", NS)
    rect = bar.find("svg:rect", NS)
    assert float(rect.get("width")) > 2 * float(circle.get("r"))
    assert target_titles(root)[1].startswith("#2 · 01/08/2011 · Police")


def test_significant_entry_is_a_diamond_not_just_another_colour():
    root = parse(timeline_svg(chronology([entry(1, D(2011, 5, 9)), entry(2, D(2011, 6, 9), significant=True)])))

    ordinary, significant = with_class(root, "mark-point")
    assert ordinary.find("svg:circle", NS) is not None
    assert significant.find("svg:polygon", NS) is not None
    assert "Significant." in target_titles(root)[1] and "Significant." not in target_titles(root)[0]


def test_entry_outside_the_review_period_is_hollow():
    root = parse(timeline_svg(chronology([entry(1, D(2013, 5, 9)), entry(2, D(2011, 6, 9))])))

    circles = sorted(
        (m.find("svg:circle", NS) for m in with_class(root, "mark-point")), key=lambda c: float(c.get("cx"))
    )
    inside, outside = circles  # 2011, then 2013 (after the review period)
    assert outside.get("fill") == "#ffffff" and inside.get("fill") != "#ffffff"


def test_nothing_in_the_picture_is_a_link_or_takes_the_focus():
    root = parse(timeline_svg(chronology([entry(1, D(2010, 3, 1)), entry(2, D(2010, 4, 1))])))

    assert root.get("role") == "img"  # the table beside it lists every entry, for the keyboard and screen readers
    assert not list(root.iter(f"{{{NS['svg']}}}a"))
    assert all(el.get("href") is None and el.get("tabindex") is None for el in root.iter())


def test_every_target_is_a_square_of_24_px_and_no_two_overlap():
    # Entries a day apart, on the same day in two lanes, a month apart, and over a month: crowded and sparse.
    entries = [entry(n, D(2010, 3, 1) + datetime.timedelta(days=n)) for n in range(1, 40)]
    entries += [entry(100 + n, D(2010, 3, 1) + datetime.timedelta(days=n), agency="Health") for n in range(1, 5)]
    entries += [entry(200 + n, D(2011, 1, 1) + datetime.timedelta(days=30 * n), agency=LONG_NAME) for n in range(12)]
    entries += [entry(300, D(2012, 2, 1), D(2012, 2, 29), precision="month", agency="Health")]
    root = parse(timeline_svg(chronology(entries)))

    boxes = hit_boxes(root)
    assert len(boxes) > 12
    assert all(right - left >= 24 and bottom - top >= 24 for left, top, right, bottom in boxes)
    for i, (left, top, right, bottom) in enumerate(boxes):
        for other in boxes[i + 1 :]:
            assert right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top
    # Every entry is in one target, and the marks under them do not answer the pointer.
    assert sum(int(t.split(" entries")[0]) if " entries · " in t else 1 for t in target_titles(root)) == len(entries)
    assert with_class(root, "marks")[0].get("pointer-events") == "none"


def test_a_target_names_its_few_entries_and_counts_many():
    few = [entry(n, D(2010, 3, 1), agency="Health", event=f"Visit {n}") for n in (1, 2)]
    many = [entry(n, D(2011, 3, 1), significant=n == 10) for n in range(10, 16)]
    titles = target_titles(parse(timeline_svg(chronology(few + many))))

    assert titles[0].startswith("2 entries · 01/03/2010 to 01/03/2010 · Health\n\n#1 · 01/03/2010 · Health\nVisit 1")
    assert "#2 · 01/03/2010 · Health\nVisit 2" in titles[0]
    assert titles[1] == "6 entries · 01/03/2011 to 01/03/2011 · Police\n1 significant; 0 outside the review period"


def test_target_title_shows_the_start_of_the_details():
    details = "word " * 100
    root = parse(timeline_svg(chronology([entry(1, D(2010, 3, 1), details=details)])))

    (title,) = target_titles(root)
    last_line = title.splitlines()[-1]
    assert last_line.endswith("…") and len(last_line) <= 121


def test_gaps_and_episodes_are_labelled():
    c = chronology(
        [entry(1, D(2010, 3, 1))],
        gaps=[ExportGap(D(2010, 6, 1), D(2010, 12, 21), 204)],
        episodes=[ExportEpisode("The first key episode: August to October 2010", D(2011, 8, 1), D(2011, 10, 31))],
    )
    root = parse(timeline_svg(c))

    assert "Gap: 204 days" in texts(root)
    assert "The first key episode: August to October 2010" in texts(root)
    (gap,) = with_class(root, "gap")
    assert title_of(gap) == "Gap in agency contact: 1 Jun 2010 to 21 Dec 2010 (204 days)"
    assert len(with_class(root, "episode")) == 1


def test_each_key_episode_is_a_band_down_the_lanes_with_its_label_on_it():
    wide = ExportEpisode("The first key episode: August 2010 to March 2011", D(2010, 8, 1), D(2011, 3, 31))
    narrow = ExportEpisode("The second key episode", D(2012, 5, 1), D(2012, 5, 3))
    c = chronology([entry(1, D(2010, 9, 1)), entry(2, D(2012, 5, 2), agency="Health")], episodes=[narrow, wide])
    root = parse(timeline_svg(c))

    first, second = with_class(root, "episode-band")
    assert (
        title_of(first)
        == "Key practice episode: The first key episode: August 2010 to March 2011, 1 Aug 2010 to 31 Mar 2011"
    )
    assert title_of(second).startswith("Key practice episode: The second key episode, 1 May 2012")
    # The band runs down both agency lanes, behind the marks.
    band = first.find("svg:rect", NS)
    assert float(band.get("height")) == 2 * 28
    left, right = float(band.get("x")), float(band.get("x")) + float(band.get("width"))
    # Its label is on it: starts inside the band and, shortened if need be, ends inside it.
    (label,) = [t for t in first.iter(f"{{{NS['svg']}}}text")]
    assert left <= float(label.get("x")) < right
    assert label.text.startswith("The first key")
    assert float(label.get("x")) + len(label.text) * 10 * 0.58 <= right
    # Three days is too narrow to write on: the row above and the tooltip name it.
    assert not list(second.iter(f"{{{NS['svg']}}}text"))
    assert "The second key episode" in texts(root)


def test_the_picture_zooms_to_the_review_period_and_counts_what_came_before():
    history = [entry(n, D(2000, 8, 1) + datetime.timedelta(days=45 * n)) for n in range(1, 65)]  # 2000 to 2008
    agencies = ["Police", "Probation service of the Northshire and Southshire Community Rehabilitation Company"]
    during = [entry(100 + n, D(2012, 3, 1) + datetime.timedelta(days=5 * n), agency=agencies[1]) for n in range(20)]
    root = parse(timeline_svg(chronology(history + during, agencies)))

    period = with_class(root, "review-period")[0].find("svg:rect", NS)
    plot_left, plot_right = float(period.get("x")), 1100 - 24
    # The review period starts at the plot's left edge and fills it: nothing is drawn before it.
    assert float(period.get("width")) >= 0.95 * (plot_right - plot_left)
    assert plot_left < 0.35 * 1100
    assert any(t.startswith("64 entries before the review period, 2000 to 2008") for t in texts(root))
    counts = {title_of(g).split(":")[0]: g for g in with_class(root, "pre-period-count")}
    assert "".join(counts["Police"].itertext()).endswith("64")
    assert agencies[1] not in counts  # nothing before the period: its cell is left empty
    assert "Before" in texts(root)
    # The 2012 entries (five days apart) spread across the plot rather than a few pixels of it.
    xs = sorted(float(m.find("svg:circle", NS).get("cx")) for m in with_class(root, "mark-point"))
    assert xs[-1] - xs[0] > 50
    assert "64 entries before the review period, 2000 to 2008: counted beside each agency, not drawn." in (
        root.find("svg:desc", NS).text
    )


def test_short_span_has_month_labels():
    c = chronology([entry(1, D(2011, 3, 1))], scope_start=D(2011, 1, 1), scope_end=D(2011, 12, 31))

    assert {"Jan", "Jun", "Dec", "2011"} <= set(texts(parse(timeline_svg(c))))


def test_markup_in_agency_names_and_details_is_escaped():
    nasty = "<script>alert(\"x\")</script> & 'quoted'"
    c = chronology(
        [entry(1, D(2010, 3, 1), agency=nasty, details=nasty, event="<b>visit</b>")],
        episodes=[ExportEpisode(nasty, D(2011, 1, 1), D(2011, 2, 1))],
    )
    svg = timeline_svg(c, title=nasty)
    root = parse(svg)

    assert "<script" not in svg
    assert title_of(with_class(root, "lane-label")[0]) == nasty
    assert nasty in texts(root)
    assert nasty in title_of(with_class(root, "target")[0])


def test_control_characters_from_spreadsheets_do_not_break_the_xml():
    parse(timeline_svg(chronology([entry(1, D(2010, 3, 1), details="line\x0bbreak\x00")])))


def test_empty_chronology_still_shows_the_review_period():
    root = parse(timeline_svg(chronology([], agencies=[])))

    assert any(t.startswith("Review period") for t in texts(root))
    assert "No entries" in texts(root)
    assert not with_class(root, "mark")
    assert root.find("svg:desc", NS).text.startswith("Timeline of 0 entries from 0 agencies")


def test_entries_of_a_lane_a_few_pixels_apart_are_one_mark_with_their_count():
    # 300 entries on 300 consecutive days of a three-year plot: a pixel or so apart.
    entries = [entry(i + 1, D(2010, 1, 1) + datetime.timedelta(days=i)) for i in range(300)]
    root = parse(timeline_svg(chronology(entries)))

    marks = with_class(root, "mark")
    counts = [int(t.text) for t in with_class(root, "mark-count")]
    assert 10 < len(marks) < 100
    assert sum(counts) + (len(marks) - len(counts)) == 300  # every entry counted, once
    assert max(counts) > 1
    assert "Entries close together: one mark, their number above it" in texts(root)


def test_entries_far_apart_are_drawn_one_by_one():
    entries = [entry(i + 1, D(2010, 1, 1) + datetime.timedelta(days=30 * i)) for i in range(30)]

    root = parse(timeline_svg(chronology(entries)))

    assert len(with_class(root, "mark")) == 30 and not with_class(root, "mark-count")


@pytest.mark.slow
def test_hundred_thousand_entries_are_aggregated_into_a_small_svg():
    rng = random.Random(7)
    agencies = [f"Agency {n}" for n in range(20)]
    entries = []
    for seq in range(1, 100_001):
        start = SCOPE[0] + datetime.timedelta(days=rng.randrange(5 * 365))
        if seq % 10 == 0:  # one in ten known only to the month
            start = start.replace(day=1)
            end = (start + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
            entries.append(entry(seq, start, end, precision="month", agency=rng.choice(agencies)))
        else:
            entries.append(entry(seq, start, agency=rng.choice(agencies), significant=seq % 50 == 0))
    c = chronology(entries, agencies)

    svg = timeline_svg(c)  # its time: bench/bench_tracked_changes.py

    assert len(svg.encode()) < 5_000_000
    root = parse(svg)
    assert 1_000 < len(with_class(root, "mark")) < 40_000
    # A target for each 24 px of each lane: counts, not 100,000 titles.
    titles = target_titles(root)
    assert len(titles) <= 20 * (1100 // 24 + 1)
    assert sum(int(t.split(" entries")[0].replace(",", "")) for t in titles) == 100_000
    assert "Crowded entries: taller is more (count in its tooltip)" in texts(parse(svg))


def test_same_chronology_gives_the_same_svg():
    c = chronology([entry(1, D(2010, 3, 1)), entry(2, D(2010, 3, 1), agency="Health")])

    assert timeline_svg(c) == timeline_svg(dataclasses.replace(c))
