"""The integrated chronology's rules (PRODUCT.md section 3), on plain rows."""

import datetime

from chronology.integrated.gaps import find_gaps
from chronology.integrated.links import CONFLICT, DUPLICATE, suggest_links
from chronology.integrated.rows import MergeRow, merge_order

D = datetime.date


def row(source_id, agency, start, end=None, *, time=None, event="", details="", position=1):
    return MergeRow(
        source_id=source_id,
        agency=agency,
        position=position,
        date_start=start,
        date_end=end or start,
        time=time,
        event=event,
        details=details,
    )


def test_a_month_sorts_before_a_day_later_in_it_and_a_day_before_a_month_starting_on_it():
    day_in_may = row(1, "Police", D(2012, 5, 12))
    may = row(2, "Police", D(2012, 5, 1), D(2012, 5, 31))
    first_of_may = row(3, "Police", D(2012, 5, 1))
    ordered = merge_order([day_in_may, may, first_of_may])
    assert [r.source_id for r in ordered] == [3, 2, 1]
    assert [r.seq for r in ordered] == [1, 2, 3]


def test_equal_dates_go_timed_first_by_time_then_by_agency_then_by_the_agencys_own_order():
    day = D(2012, 5, 1)
    rows = [
        row(1, "Women's Aid", day, position=2),
        row(2, "Police", day, time=datetime.time(23, 10)),
        row(3, "Women's Aid", day, position=1),
        row(4, "Housing", day),
        row(5, "Health", day, time=datetime.time(9, 0)),
    ]
    assert [r.source_id for r in merge_order(rows)] == [5, 2, 4, 3, 1]


def test_the_order_does_not_depend_on_the_order_rows_arrive_in():
    rows = [row(n, f"Agency {n % 3}", D(2012, 1, 1 + n % 5), position=n) for n in range(30)]
    forward = [r.source_id for r in merge_order(list(rows))]
    backward = [r.source_id for r in merge_order(list(reversed(rows)))]
    assert forward == backward


def test_three_agencies_recording_one_core_group_meeting_are_linked_as_possible_duplicates():
    day = D(2012, 7, 13)
    rows = merge_order(
        [
            row(1, "Children's social care", day, event="Core group meeting", details="Core group at the nursery."),
            row(2, "Health visiting", day, event="Core group meeting.", details="Attended the first core group."),
            row(3, "Nursery", day, event="core group meetings", details="Core group held here."),
        ]
    )
    links = suggest_links(rows)
    assert {(link.kind, link.a.source_id, link.b.source_id) for link in links} == {
        (DUPLICATE, 1, 2),
        (DUPLICATE, 1, 3),
        (DUPLICATE, 2, 3),
    }


def test_one_strategy_discussion_recorded_on_1_and_23_may_is_a_date_conflict():
    rows = merge_order(
        [
            row(1, "Police", D(2012, 5, 1), event="Strategy discussion", details="By telephone with CSC."),
            row(2, "Children's social care", D(2012, 5, 23), event="Strategy discussion", details="Chaired by TM."),
        ]
    )
    links = suggest_links(rows)
    assert [(link.kind, link.a.source_id, link.b.source_id) for link in links] == [(CONFLICT, 1, 2)]
    assert "22 days apart" in links[0].reason


def test_single_agency_events_on_different_days_are_a_conflict_only_when_their_details_read_alike():
    rows = merge_order(
        [
            row(1, "Health visiting", D(2012, 6, 27), event="Home visit", details="Children seen, flat tidy."),
            row(2, "Children's social care", D(2012, 7, 11), event="Home visit", details="Mother not in."),
            row(3, "Housing", D(2012, 9, 1), event="Home visit", details="Repairs to the kitchen window inspected."),
            row(4, "Police", D(2012, 9, 20), event="Home visit", details="Kitchen window repairs inspected, damage."),
        ]
    )
    assert [(link.kind, link.a.source_id, link.b.source_id) for link in suggest_links(rows)] == [(CONFLICT, 3, 4)]


def test_dates_more_than_31_days_apart_or_in_one_agency_are_not_linked():
    rows = merge_order(
        [
            row(1, "Police", D(2012, 5, 1), event="Strategy discussion"),
            row(2, "Children's social care", D(2012, 6, 2), event="Strategy discussion"),
            row(3, "Police", D(2012, 7, 1), event="Home visit"),
            row(4, "Police", D(2012, 7, 1), event="Home visit"),
        ]
    )
    assert suggest_links(rows) == []


def test_routine_visits_are_not_date_conflicts_and_one_off_events_match_only_their_nearest_counterparts():
    weekly = [
        row(n, "Health visiting", D(2012, 3, 1) + datetime.timedelta(days=7 * n), event="Home visit") for n in range(6)
    ]
    social_work = row(99, "Children's social care", D(2012, 3, 9), event="Home visit")
    assert suggest_links(merge_order([*weekly, social_work])) == []
    meetings = [
        row(1, "Police", D(2012, 3, 1), event="Strategy meeting"),
        row(2, "Police", D(2012, 3, 20), event="Strategy meeting"),
        row(3, "Children's social care", D(2012, 3, 25), event="Strategy meeting"),
    ]
    links = suggest_links(merge_order(meetings))
    assert [(link.kind, link.a.source_id, link.b.source_id) for link in links] == [(CONFLICT, 2, 3)]


def test_same_day_entries_with_alike_details_are_duplicates_whatever_their_event_type():
    day = D(2012, 3, 14)
    rows = merge_order(
        [
            row(
                1,
                "Women's Aid",
                day,
                event="Telephone call",
                details="Call from social worker about Jade's refuge place",
            ),
            row(
                2,
                "Children's social care",
                day,
                event="Phone call",
                details="Call to Women's Aid about Jade's refuge place",
            ),  # fmt: skip
        ]
    )
    assert [(link.kind, link.reason) for link in suggest_links(rows)] == [(DUPLICATE, "same day, similar details")]


def test_a_vague_entry_is_never_matched():
    rows = merge_order(
        [
            row(1, "Police", D(2012, 1, 1), D(2012, 12, 31), event="Strategy discussion"),
            row(2, "Children's social care", D(2012, 5, 23), event="Strategy discussion"),
        ]
    )
    assert suggest_links(rows) == []


def test_gaps_over_the_threshold_inside_the_review_period_are_found():
    rows = merge_order(
        [
            row(1, "Police", D(2008, 4, 20)),
            row(2, "Health", D(2008, 11, 30)),
            row(3, "Police", D(2010, 3, 15)),
            row(4, "Police", D(2010, 1, 1), D(2010, 12, 31)),  # a whole year is not contact on any day
            row(5, "Housing", D(2012, 7, 1)),
        ]
    )
    gaps = find_gaps(rows, D(2008, 4, 1), D(2012, 8, 6), 6)
    assert [(gap.start, gap.end, gap.days) for gap in gaps] == [
        (D(2008, 4, 21), D(2008, 11, 29), 222),
        (D(2008, 12, 1), D(2010, 3, 14), 468),
        (D(2010, 3, 16), D(2012, 6, 30), 837),
    ]


def test_a_gap_of_exactly_the_threshold_counts_and_a_day_shorter_does_not():
    six_months = merge_order([row(1, "Police", D(2012, 1, 1)), row(2, "Police", D(2012, 7, 3))])
    gaps = find_gaps(six_months, D(2012, 1, 1), D(2012, 7, 3), 6)
    assert [(gap.start, gap.end) for gap in gaps] == [(D(2012, 1, 2), D(2012, 7, 2))]
    assert find_gaps(six_months, D(2012, 1, 1), D(2012, 7, 3), 7) == []
    a_day_short = merge_order([row(1, "Police", D(2012, 1, 1)), row(2, "Police", D(2012, 7, 2))])
    assert find_gaps(a_day_short, D(2012, 1, 1), D(2012, 7, 2), 6) == []
