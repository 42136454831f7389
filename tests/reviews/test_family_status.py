"""The family involvement status the board's process view shows for each review."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews.family_models import FamilyContact, FamilyOffer
from reviews.family_selectors import family_involvement_status_by_review
from tests.factories import PersonFactory, ReviewFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 1)


def _offer(person, response: str) -> FamilyOffer:
    return FamilyOffer.objects.create(
        review=person.review,
        person=person,
        kind=FamilyOffer.Kind.MEET_PANEL,
        made_on=DAY,
        response=response,
        response_date=None if response == FamilyOffer.Response.AWAITED else DAY,
    )


def test_each_review_gets_the_status_its_log_supports_in_one_query():
    reviews = [ReviewFactory() for _ in range(6)]
    people = [PersonFactory(review=review) for review in reviews]
    not_started, contacted, accepted, awaited, declined, unanswered = people
    FamilyContact.objects.create(
        review=contacted.review, person=contacted, contact_date=DAY, method=FamilyContact.Method.MEETING
    )
    _offer(contacted, FamilyOffer.Response.DECLINED)
    _offer(accepted, FamilyOffer.Response.ACCEPTED)
    _offer(accepted, FamilyOffer.Response.DECLINED)
    _offer(awaited, FamilyOffer.Response.AWAITED)
    _offer(awaited, FamilyOffer.Response.DECLINED)
    _offer(declined, FamilyOffer.Response.DECLINED)
    _offer(declined, FamilyOffer.Response.NO_RESPONSE)
    _offer(unanswered, FamilyOffer.Response.NO_RESPONSE)

    ids = [review.pk for review in reviews]
    with CaptureQueriesContext(connection) as queries:
        statuses = family_involvement_status_by_review([*ids, 999_999])

    # 1. the reviews with an EXISTS per kind of row
    assert len(queries.captured_queries) == 1
    assert statuses == {
        not_started.review_id: "not started",
        contacted.review_id: "contact made",
        accepted.review_id: "offer accepted",
        awaited.review_id: "offer made",
        declined.review_id: "offer declined",
        unanswered.review_id: "no response",
    }


def test_no_reviews_asks_nothing():
    with CaptureQueriesContext(connection) as queries:
        assert family_involvement_status_by_review([]) == {}
    assert not queries.captured_queries
