"""The board's process view on its dashboard: each review's scoping decision, next panel meeting,
open and overdue actions arising, family involvement and submission, in a fixed number of queries
whatever the number of reviews, and narrowed by the dashboard's filters."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.process_selectors import NOT_SUBMITTED, review_processes
from actions.selectors import DashboardFilters, board_dashboard
from reports.submission_models import SubmissionFeedback, SubmissionPack
from reviews import scoping_selectors
from reviews.family_models import FamilyContact
from reviews.meeting_models import ActionArising, PanelMeeting
from reviews.models import Review
from reviews.scoping_models import ScopingRecord
from tests.conftest import World
from tests.factories import PersonFactory, ReviewFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
NOW = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC)


def _meeting(review: Review, days: int) -> PanelMeeting:
    return PanelMeeting.objects.create(review=review, starts_at=NOW + datetime.timedelta(days=days), place="Room 2")


def _running_review(world: World, review: Review) -> None:
    """A review with a meeting past and two to come, actions arising (one overdue, one done), a
    family contact, a scoping record awaiting its decision and the panel's feedback."""
    past = _meeting(review, -30)
    _meeting(review, 21)
    _meeting(review, 7)
    ActionArising.objects.create(meeting=past, description="Ask the GP.", owner=world.chair, due_date=TODAY)
    ActionArising.objects.create(
        meeting=past, description="Chase police.", owner=world.chair, due_date=TODAY - datetime.timedelta(days=3)
    )
    ActionArising.objects.create(
        meeting=past, description="Book a room.", owner=world.chair, due_date=TODAY, done_at=NOW
    )
    person = PersonFactory(review=review)
    FamilyContact.objects.create(review=review, person=person, contact_date=TODAY, method=FamilyContact.Method.PHONE)
    ScopingRecord.objects.create(review=review, notified_by="DI Rao", circumstances="A death.")
    SubmissionFeedback.objects.create(
        review=review, outcome=SubmissionFeedback.Outcome.RESUBMIT, received_on=TODAY, text="Say more."
    )


def test_each_review_shows_how_it_is_running(world: World):
    _running_review(world, world.review)
    quiet = ReviewFactory(partnership=world.review.partnership, reference="NDHR-02")
    SubmissionPack.objects.create(review=quiet, status=SubmissionPack.Status.READY, finished_at=NOW)
    reviews = list(Review.objects.filter(pk__in=[world.review.pk, quiet.pk]).select_related("scoping"))
    processes = review_processes(reviews, now=NOW, today=TODAY)

    running = processes[world.review.pk]
    assert running.decision == scoping_selectors.AWAITING
    assert running.next_meeting.starts_at == NOW + datetime.timedelta(days=7)  # the sooner of the two to come
    assert (running.actions_open, running.actions_overdue) == (2, 1)
    assert running.family == "contact made"
    assert running.submission.label == "Resubmit (15 Jun 2026)" and running.submission.attention

    other = processes[quiet.pk]
    assert other.decision == scoping_selectors.PROCEEDING  # opened as a full review
    assert other.next_meeting is None and (other.actions_open, other.actions_overdue) == (0, 0)
    assert other.family == "not started"
    assert other.submission.label == "Pack made 15 Jun 2026" and not other.submission.attention


def test_a_review_with_nothing_recorded_has_no_pack_and_no_meeting(world: World):
    processes = review_processes(
        list(Review.objects.filter(pk=world.review.pk).select_related("scoping")), now=NOW, today=TODAY
    )
    assert processes[world.review.pk].submission == NOT_SUBMITTED
    assert processes[world.review.pk].next_meeting is None


def test_the_dashboards_filters_narrow_the_process_view(world: World):
    _running_review(world, world.review)
    ReviewFactory(partnership=world.review.partnership, reference="NCSPR-01", review_type=Review.Type.CSPR)
    board = board_dashboard(
        world.review.partnership, today=TODAY, now=NOW, filters=DashboardFilters(review_type="cspr")
    )
    assert [row.review.reference for row in board.reviews] == ["NCSPR-01"]
    assert board.reviews[0].process is not None and board.reviews[0].process.next_meeting is None


def test_the_dashboard_page_shows_the_process_view(client, world: World, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    _running_review(world, world.review)
    client.force_login(world.board_admin)
    page = client.get(reverse("actions:dashboard", args=[world.review.partnership_id])).content.decode()
    assert "How each review is running" in page
    assert "Awaiting the decision" in page
    assert "2 open" in page and "1 overdue" in page
    assert "Contact made" in page
    assert "Resubmit (15 Jun 2026)" in page
    meeting = PanelMeeting.objects.get(review=world.review, starts_at=NOW + datetime.timedelta(days=7))
    assert reverse("reviews:meeting_detail", args=[world.review.pk, meeting.pk]) in page


def _grow(world: World, count: int, prefix: str) -> None:
    """``count`` reviews of the board, each with meetings, actions arising, a family contact, a
    scoping record and feedback, so that every part of the process view has something to read."""
    for n in range(count):
        review = ReviewFactory(partnership=world.review.partnership, reference=f"NDHR-{prefix}{n:02d}")
        _running_review(world, review)


def _dashboard_queries(client, world: World) -> int:
    url = reverse("actions:dashboard", args=[world.review.partnership_id])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_runs_as_many_queries_for_30_reviews_as_for_3(client, world: World, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    client.force_login(world.board_admin)
    _grow(world, 2, "G")  # with the world's own review: 3
    client.get(reverse("actions:dashboard", args=[world.review.partnership_id]))  # the session settles
    for_3 = _dashboard_queries(client, world)
    _grow(world, 27, "H")
    assert Review.objects.filter(partnership=world.review.partnership).count() == 30
    for_30 = _dashboard_queries(client, world)
    assert for_3 == for_30
