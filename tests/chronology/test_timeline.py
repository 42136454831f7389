"""The timeline picture: well-formed, escaped, one lane per agency, bars for imprecise dates."""

import datetime
import xml.etree.ElementTree as ET

from chronology.export_data import ExportChronology, ExportEntry, ExportEpisode, ExportGap
from chronology.timeline import timeline_svg

D = datetime.date
SVG = "{http://www.w3.org/2000/svg}"


def entry(seq, agency, start, end=None, precision="day", **fields):
    values = dict(
        seq=seq, date_start=start, date_end=end or start, precision=precision, date_display=str(start), time=None,
        agency=agency, people=[], source="", practitioner="", event="Home visit", details="Seen at home.",
        outcome="", comment="", significant=False, in_scope=True,
    )  # fmt: skip
    values.update(fields)
    return ExportEntry(**values)


def chronology(entries, gaps=(), episodes=()):
    return ExportChronology(
        reference="NDHR-01", review_type="dhr", review_type_label="Domestic Homicide Review", case_name="Adult A",
        partnership="Northshire", scope_start=D(2010, 1, 1), scope_end=D(2012, 8, 6),
        built_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), version=1, names="designations",
        agencies=sorted({e.agency for e in entries}), entries=list(entries), gaps=list(gaps), episodes=list(episodes),
    )  # fmt: skip


def test_the_picture_is_well_formed_with_a_lane_per_agency_and_labels_for_gaps_and_episodes():
    data = chronology(
        [entry(1, "Police", D(2010, 5, 1)), entry(2, "Health & <Care>", D(2011, 3, 1), D(2011, 3, 31), "month")],
        gaps=[ExportGap(D(2010, 6, 1), D(2011, 2, 1), 245)],
        episodes=[ExportEpisode("The first key episode", D(2011, 2, 1), D(2011, 6, 30))],
    )
    svg = timeline_svg(data)
    root = ET.fromstring(svg)
    text = " ".join("".join(node.itertext()) for node in root.iter(f"{SVG}text"))
    assert "Police" in text and "Health & <Care>" in text
    assert "Gap: 245 days" in svg and "The first key episode" in svg
    assert root.get("role") == "img" and root.find(f"{SVG}title") is not None
    assert root.find(f".//{SVG}a") is None


def test_marks_link_to_their_entries_and_then_the_picture_is_a_group_not_an_image():
    svg = timeline_svg(chronology([entry(7, "Police", D(2010, 5, 1))]), entry_href=lambda seq: f"#entry-{seq}")
    root = ET.fromstring(svg)
    assert root.get("role") == "group"
    assert [link.get("href") for link in root.iter(f"{SVG}a")] == ["#entry-7"]


def test_text_from_the_records_cannot_inject_markup():
    hostile = entry(1, "<script>alert(1)</script>", D(2010, 5, 1), details='<img src=x onerror="alert(1)">')
    svg = timeline_svg(chronology([hostile]))
    ET.fromstring(svg)
    assert "<script" not in svg and "<img" not in svg


def test_an_empty_chronology_still_draws_the_review_period():
    root = ET.fromstring(timeline_svg(chronology([])))
    assert "Review period" in "".join(root.itertext())


def test_a_dense_chronology_stays_small():
    entries = [
        entry(n, f"Agency {n % 20:02d}", D(2008, 1, 1) + datetime.timedelta(days=n % 1800), significant=n % 10 == 0)
        for n in range(1, 100_001)
    ]
    svg = timeline_svg(chronology(entries))
    ET.fromstring(svg)
    assert len(svg) < 5_000_000
