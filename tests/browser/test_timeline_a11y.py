"""The integrated chronology's timeline, opened on its own as the chair opens it, measured in the
browser: how many Tab presses it takes to pass, how big and how far apart what a pointer aims at
is, whether every agency's whole name is written, and whether text still clears other text when
a reader widens its letter and word spacing (WCAG 2.1.1, 2.5.8, 1.4.12)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from chronology.exports.data import ExportChronology, ExportEntry
from chronology.integrated.timeline_svg import timeline_svg
from chronology.models import IntegratedChronology
from reviews.models import Review
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A reader's own text spacing (WCAG 1.4.12), set on every element through the CSSOM: the picture's
# Content-Security-Policy refuses a stylesheet, but not this.
TEXT_SPACING = """() => {
    for (const el of document.querySelectorAll('*')) {
        el.style.setProperty('letter-spacing', '0.12em', 'important');
        el.style.setProperty('word-spacing', '0.16em', 'important');
        el.style.setProperty('line-height', '1.5', 'important');
    }
}"""

# Whatever a pointer aims at to learn about entries: each element titled with an entry ("#12 · …")
# or with a count of entries ("3 entries · …"), its box on the screen and how many entries it names.
ENTRY_TARGETS = """() => [...document.querySelectorAll('title')]
    .filter(t => /^(#\\d+ · |[\\d,]+ entries · )/.test(t.textContent))
    .map(t => {
        const box = t.parentNode.getBBox();
        const count = t.textContent.startsWith('#') ? 1 : parseInt(t.textContent.replace(/,/g, ''), 10);
        return {x: box.x, y: box.y, width: box.width, height: box.height, count: count};
    })"""

# The on-screen box of every piece of text, by the group it is in.
TEXT_BOXES = """() => [...document.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const box = t.getBoundingClientRect();
    const group = t.closest('[class]:not(svg)');
    return {text: t.textContent, group: group ? group.getAttribute('class') : '',
            left: box.left, top: box.top, right: box.right, bottom: box.bottom};
})"""

# The on-screen box of each item of the legend: its swatch and its words.
LEGEND_ITEMS = """() => [...document.querySelectorAll('.legend > g')].map(item => {
    const box = item.getBoundingClientRect();
    return {text: item.textContent, left: box.left, top: box.top, right: box.right, bottom: box.bottom};
})"""


def _overlapping(boxes: list[dict], key=lambda box: (box["left"], box["top"], box["right"], box["bottom"])):
    """Pairs of boxes that share more than a pixel's sliver of area."""
    pairs = []
    for i, one in enumerate(boxes):
        left, top, right, bottom = key(one)
        for other in boxes[i + 1 :]:
            o_left, o_top, o_right, o_bottom = key(other)
            if min(right, o_right) - max(left, o_left) > 0.5 and min(bottom, o_bottom) - max(top, o_top) > 0.5:
                pairs.append((one.get("text", one), other.get("text", other)))
    return pairs


@pytest.fixture
def demo_timeline(live_server):
    call_command("load_demo", verbosity=0)
    review = Review.objects.get(reference="BDHR2012/13-04")
    chronology = IntegratedChronology.objects.filter(review=review).order_by("-version").first()
    assert chronology.timeline_svg
    return chronology, reverse("chronology:timeline", args=[review.pk, chronology.version])


def _open_on_its_own(new_page, url: str):
    page = new_page()
    sign_in(page, "chair")
    page.goto(url)
    size = page.evaluate(
        "() => [document.documentElement.width.baseVal.value, document.documentElement.height.baseVal.value]"
    )
    page.set_viewport_size({"width": int(size[0]) + 20, "height": int(size[1]) + 20})  # all of it on the screen
    return page


def test_the_timeline_on_its_own_is_passed_in_at_most_three_tab_presses(new_page, demo_timeline):
    chronology, url = demo_timeline
    page = _open_on_its_own(new_page, url)

    stops = []
    for _ in range(150):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 80)")
        if focused is None or focused.startswith("<svg") or focused in stops:
            break
        stops.append(focused)
    assert len(stops) <= 3, f"{len(stops)} Tab stops in the timeline: {stops[:5]}"


def test_every_entry_is_under_a_target_of_24_px_that_overlaps_no_other(new_page, demo_timeline):
    chronology, url = demo_timeline
    page = _open_on_its_own(new_page, url)

    targets = page.evaluate(ENTRY_TARGETS)
    assert sum(target["count"] for target in targets) == chronology.entry_count == 100
    small = [t for t in targets if t["width"] < 24 or t["height"] < 24]
    assert not small, f"{len(small)} of {len(targets)} targets are under 24 by 24 px, e.g. {small[:3]}"
    assert not _overlapping(targets, key=lambda t: (t["x"], t["y"], t["x"] + t["width"], t["y"] + t["height"]))
    # Nothing drawn over a target takes the pointer from it: its middle is its own.
    hit = page.evaluate(
        """() => [...document.querySelectorAll('.target')].filter(target => {
            const box = target.getBoundingClientRect();
            const found = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return !target.contains(found);
        }).length"""
    )
    assert hit == 0


def test_every_agency_name_is_written_whole_and_clear_of_the_plot_with_wider_text_spacing(new_page, demo_timeline):
    chronology, url = demo_timeline
    page = _open_on_its_own(new_page, url)
    page.evaluate(TEXT_SPACING)

    boxes = page.evaluate(TEXT_BOXES)
    written = {" ".join(box["text"].split()) for box in boxes}
    assert "Birmingham City Council – Children, Young People and Families Directorate" in written
    assert set(chronology.agency_names) <= written
    plot_left = page.evaluate("() => document.querySelector('.review-period rect').getBoundingClientRect().left")
    labels = [box for box in boxes if box["group"] == "lane-label"]
    assert len(labels) == len(chronology.agency_names)
    assert all(label["right"] <= plot_left for label in labels), [
        (label["text"], label["right"], plot_left) for label in labels if label["right"] > plot_left
    ]
    assert not _overlapping(labels)


def test_no_legend_item_or_text_overlaps_another_with_wider_text_spacing(new_page, demo_timeline):
    chronology, url = demo_timeline
    page = _open_on_its_own(new_page, url)
    page.evaluate(TEXT_SPACING)

    legend = page.evaluate(LEGEND_ITEMS)
    assert len(legend) >= 7 and not _overlapping(legend)
    boxes = page.evaluate(TEXT_BOXES)
    assert not _overlapping(boxes)
    width = page.evaluate("() => document.documentElement.width.baseVal.value")
    assert all(box["right"] <= width for box in boxes + legend)


def _entry(seq: int, day: datetime.date, agency: str) -> ExportEntry:
    return ExportEntry(
        seq=seq, date_start=day, date_end=day, precision="day", date_display=day.isoformat(), time=None,
        agency=agency, people=[], source="", practitioner="", event="Home visit", details="", outcome="",
        comment="", significant=seq % 5 == 0, in_scope=True,
    )  # fmt: skip


@pytest.mark.parametrize("width", [1100, 1000, 600])
def test_a_long_agency_name_and_the_legend_clear_all_other_text_with_wider_text_spacing(new_page, width):
    long_name = "Royal Bournemouth and Christchurch Hospitals NHS Foundation Trust Emergency Department (adults)"
    agencies = ["Police", long_name, "Supercalifragilisticexpialidociousdistrictcouncil"]
    start = datetime.date(2010, 1, 1)
    entries = [_entry(n, start + datetime.timedelta(days=9 * n), agencies[n % 3]) for n in range(1, 120)]
    chronology = ExportChronology(
        reference="R", review_type="dhr", review_type_label="Domestic Homicide Review", case_name="", partnership="",
        scope_start=start, scope_end=datetime.date(2012, 12, 31),
        built_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), version=1, names="designations",
        agencies=agencies, entries=entries, gaps=[], episodes=[], marking="",
    )  # fmt: skip
    page = new_page()
    page.set_content(f"<!doctype html><title>t</title><body style='margin:0'>{timeline_svg(chronology, width=width)}")
    page.evaluate(TEXT_SPACING)

    legend = page.evaluate(LEGEND_ITEMS)
    assert len(legend) >= 7 and not _overlapping(legend)
    boxes = page.evaluate(TEXT_BOXES)
    assert not _overlapping(boxes)
    assert all(box["right"] <= width for box in boxes + legend)
    assert {" ".join(box["text"].split()) for box in boxes} >= set(agencies)
    plot_left = page.evaluate("() => document.querySelector('.review-period rect').getBoundingClientRect().left")
    assert all(box["right"] <= plot_left for box in boxes if box["group"] == "lane-label")
