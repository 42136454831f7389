"""The board's view of many reviews asks for each review's next panel meeting and its open and
overdue actions arising: each answer is one query, however many reviews are asked about."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reviews.meeting_models import ActionArising, PanelMeeting
from reviews.meeting_selectors import next_meeting_by_review, open_actions_arising_by_review
from tests.conftest import World
from tests.factories import ReviewFactory

NOW = timezone.make_aware(datetime.datetime(2026, 6, 1, 12, 0))
TODAY = datetime.date(2026, 6, 1)


def _meeting(review, days: int) -> PanelMeeting:
    return PanelMeeting.objects.create(review=review, starts_at=NOW + datetime.timedelta(days=days), place="Room 1")


def test_next_meeting_is_the_first_to_come_of_each_review_in_one_query(world: World):
    third = ReviewFactory(partnership=world.review.partnership, reference="NDHR-03")
    _meeting(world.review, -7)  # past: not the next one
    soon = _meeting(world.review, 3)
    _meeting(world.review, 30)
    other_next = _meeting(world.other_review, 10)
    with CaptureQueriesContext(connection) as queries:
        found = next_meeting_by_review([world.review.pk, world.other_review.pk, third.pk], NOW)
    # 1. the meetings that are each review's first at or after now (a subquery per row)
    assert len(queries) == 1
    assert found == {world.review.pk: soon, world.other_review.pk: other_next}
    assert third.pk not in found  # no meeting to come


def test_next_meeting_of_no_reviews_asks_nothing(world: World):
    with CaptureQueriesContext(connection) as queries:
        assert next_meeting_by_review([], NOW) == {}
    assert len(queries) == 0


def test_open_and_overdue_actions_arising_are_counted_per_review_in_one_query(world: World):
    meeting = _meeting(world.review, -7)
    other = _meeting(world.other_review, -7)

    def action(on: PanelMeeting, due: datetime.date, *, done: bool = False) -> None:
        ActionArising.objects.create(
            meeting=on, description="Send the chronology.", owner=world.panel, due_date=due,
            done_at=NOW if done else None,
        )  # fmt: skip

    action(meeting, TODAY - datetime.timedelta(days=1))  # overdue
    action(meeting, TODAY)  # due today: open, not overdue
    action(meeting, TODAY - datetime.timedelta(days=5), done=True)  # done: neither
    action(other, TODAY + datetime.timedelta(days=5))
    quiet = ReviewFactory(partnership=world.review.partnership, reference="NDHR-04")
    with CaptureQueriesContext(connection) as queries:
        counts = open_actions_arising_by_review({world.review.pk, world.other_review.pk, quiet.pk}, TODAY)
    # 1. open actions arising grouped by their meeting's review
    assert len(queries) == 1
    assert counts == {world.review.pk: (2, 1), world.other_review.pk: (1, 0), quiet.pk: (0, 0)}
