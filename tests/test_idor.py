"""IDOR: every URL that names objects inside a review, asked for with this review's id but
another review's object ids, answers 404 to the people with full access to this review.

The objects come from a mirror of the test world built in another board's review; the rows
and their argument functions are the permission matrix's own, so every new URL is tried."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import Client
from django.urls import reverse

from chronology.models import Clarification
from reviews.models import Agency, Imr, ReviewMembership
from tests.conftest import World
from tests.factories import AgencyFactory, EntryFactory, ImrFactory, MembershipFactory, PersonFactory, UserFactory
from tests.test_permission_matrix import MATRIX, Row

# Every test here only makes requests and reads: the world is built once for the module and each
# test runs in a savepoint of it (tests/conftest.py, _world_of_module).
SHARED_WORLD = True


def _mirror(world: World) -> World:
    """The same kinds of objects as the world's, in the other board's review."""
    review = world.other_review
    partnership = review.partnership
    agency_a = AgencyFactory(partnership=partnership, name="Southshire Police", kind=Agency.Kind.POLICE)
    agency_b = AgencyFactory(partnership=partnership, name="Southshire Health", kind=Agency.Kind.HOSPITAL)
    role = ReviewMembership.Role
    chair = MembershipFactory(review=review, role=role.CHAIR, user=UserFactory(username="mirror_chair")).user
    panel = MembershipFactory(review=review, role=role.PANEL, user=UserFactory(username="mirror_panel")).user
    author_a = MembershipFactory(
        review=review, role=role.IMR_AUTHOR, agency=agency_a, user=UserFactory(username="mirror_a")
    ).user
    imr_a = ImrFactory(review=review, agency=agency_a, author=author_a, status=Imr.Status.IN_PROGRESS)
    imr_b = ImrFactory(review=review, agency=agency_b, status=Imr.Status.SUBMITTED)
    entry_a = EntryFactory(imr=imr_a)
    return dataclasses.replace(
        world,
        review=review,
        other_review=world.review,
        agency_a=agency_a,
        agency_b=agency_b,
        imr_a=imr_a,
        imr_b=imr_b,
        entry_a=entry_a,
        entry_b=EntryFactory(imr=imr_b),
        question_a=Clarification.objects.create(imr=imr_a, entry=entry_a, question="When?"),
        person=PersonFactory(review=review, real_name="Paul Other", designation="the father"),
        chair=chair,
        panel=panel,
        author_a=author_a,
    )


def _object_rows() -> list[Row]:
    """Rows whose URL names the review and at least one object in it."""
    return [row for row in MATRIX if row.args.__name__ != "review_args" and row.name != "reviews:partnership_detail"]


@pytest.mark.parametrize("persona", ["chair", "board_admin"])
@pytest.mark.parametrize("row", _object_rows(), ids=lambda row: row.id)
def test_another_reviews_objects_are_not_found_under_this_review(client: Client, world: World, row: Row, persona):
    world_args = row.args(world)
    if len(world_args) < 2 or world_args[0] != world.review.pk:
        pytest.skip("names no object inside a review")
    mirror = _mirror(world)
    foreign = row.args(mirror)
    if foreign[1:] == world_args[1:]:
        pytest.skip("names a number within the review (a version), not an object")
    client.force_login(getattr(world, persona))
    url = reverse(row.name, args=[world.review.pk, *foreign[1:]])
    response = client.get(url, row.data(world)) if row.method == "GET" else client.post(url, row.data(world))
    assert response.status_code == 404, f"{row.id} with another review's ids answered {response.status_code}"
