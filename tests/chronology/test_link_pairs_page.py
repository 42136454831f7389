"""The suggested-links page reads one page of links: the chair's decisions are looked up,
filtered and counted by the database (it read every link into Python to show 25: 10-23 s)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chronology.integrated import services as integrated_services
from chronology.integrated.links import link_decisions
from chronology.integrated.selectors import links_decided
from chronology.models import SuggestedLink
from tests.chronology.integrated_world import FILES
from tests.chronology.integrated_world import build as _build
from tests.chronology.test_integrated import _reimport

pytestmark = pytest.mark.django_db


def _more_links(chronology, count: int) -> None:
    """`count` more date conflicts between the version's first two entries."""
    first, second = chronology.entries.order_by("seq")[:2]
    SuggestedLink.objects.bulk_create(
        SuggestedLink(
            chronology=chronology,
            kind="date_conflict",
            seq_a=first.seq,
            seq_b=second.seq,
            source_a=first.source_id,
            source_b=second.source_id,
            reason=f"Extra {n}",
        )  # fmt: skip
        for n in range(count)
    )


def test_the_database_finds_the_same_decisions_as_the_export_by_ids_and_after_a_reimport(review, world):
    first = _build(review)
    conflict = first.links.get(kind="date_conflict")
    duplicate = first.links.filter(kind="possible_duplicate").first()
    integrated_services.link_decide(actor=world.chair, review=review, link=conflict, status="dismissed")
    integrated_services.link_decide(actor=world.chair, review=review, link=duplicate, status="confirmed")
    _reimport(review, "Northshire Police", FILES["Northshire Police"])  # new ids: found by fingerprints
    second = _build(review)
    for version in (first, second):
        expected = {link.pk: link_decisions(review.pk).of(link) for link in version.links.all()}
        assert dict(links_decided(version).values_list("pk", "decision")) == expected
        assert {"dismissed", "confirmed", "suggested"} <= set(expected.values())
    dismissed = links_decided(second, status="dismissed")
    assert [link.kind for link in dismissed] == ["date_conflict"]
    assert links_decided(second, kind="possible_duplicate", status="suggested").count() == 2


def test_the_page_shows_25_links_of_the_decision_asked_for_and_counts_them(client, review, world):
    chronology = _build(review)
    _more_links(chronology, 30)
    integrated_services.link_decide(
        actor=world.chair, review=review, link=chronology.links.get(reason__startswith="Extra 0"), status="dismissed"
    )
    client.force_login(world.chair)
    url = reverse("chronology:links", args=[review.pk])
    # The extra links are all between the same two entries: one decision covers all of them.
    suggested = client.get(url, {"status": "suggested", "page": 2})
    assert suggested.context["page"].paginator.count == 4  # the three possible duplicates and the built conflict
    assert suggested.context["page"].number == 1  # only one page: a page past the end gives the last
    dismissed = client.get(url, {"status": "dismissed", "kind": "date_conflict", "page": 2})
    page = dismissed.context["page"]
    assert (page.paginator.count, page.paginator.num_pages, len(page.object_list)) == (30, 2, 5)
    assert all(pair.status == "dismissed" for pair in page.object_list)
    assert "Page 2 of 2" in dismissed.content.decode()


def test_the_page_takes_the_same_queries_however_many_links_there_are(client, review, world):
    chronology = _build(review)
    client.force_login(world.chair)
    url = reverse("chronology:links", args=[review.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _more_links(chronology, 60)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 25
    assert len(many) == len(few)
