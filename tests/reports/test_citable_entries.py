"""A document cites an agency's chronology entries only once the agency has submitted its IMR
(submitted or accepted): a draft's entries, or those of an IMR returned to the agency and being
changed again, are never offered by the picker and never shown to the panel."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from chronology.models import ChronologyEntry
from reports import citations, services
from reports.models import Section
from reports.render import document_fingerprint
from reviews.models import Imr
from tests.conftest import World


@pytest.fixture
def citing(world: World, section: Section) -> Section:
    """The introduction citing agency A's entry (its IMR a draft) and agency B's (submitted)."""
    ChronologyEntry.objects.filter(pk=world.entry_a.pk).update(details="Words only the police have seen.")
    body = f"<p>Seen [[entry:{world.entry_a.pk}]] and [[entry:{world.entry_b.pk}]].</p>"
    return services.section_save(section_id=section.pk, body=body, base_version=1, actor=world.chair)


def _preview(client: Client, world: World, section: Section) -> str:
    client.force_login(world.chair)
    url = reverse("reports:document_preview", args=[world.review.pk, section.document_id])
    return client.get(url).content.decode().replace("&#x27;", "'")


def _cite(entry: ChronologyEntry) -> str:
    entry.refresh_from_db()
    return f"[[entry:{citations.entry_key(entry)}]]"


def _offered(client: Client, world: World, query: str = "") -> str:
    client.force_login(world.chair)
    return client.get(reverse("reports:reference_search", args=[world.review.pk]), {"q": query}).content.decode()


def test_a_draft_imrs_entry_cited_by_the_chair_is_not_found_in_the_preview(client: Client, world: World, citing):
    page = _preview(client, world, citing)
    assert f"Chronology, {world.agency_b.name}" in page
    assert "[reference not found]" in page
    assert "Words only the police have seen." not in page
    assert f"Chronology, {world.agency_a.name}" not in page


@pytest.mark.parametrize("status", [Imr.Status.IN_PROGRESS, Imr.Status.REQUESTED, Imr.Status.RETURNED])
def test_the_picker_never_offers_an_entry_of_an_imr_not_submitted_or_accepted(
    client: Client, world: World, status: str
):
    Imr.objects.filter(pk=world.imr_a.pk).update(status=status)
    offered = _offered(client, world, "Visit")
    assert _cite(world.entry_b) in offered
    assert _cite(world.entry_a) not in offered


def test_an_entry_is_cited_once_its_imr_is_accepted_and_not_while_it_is_returned(client: Client, world: World, citing):
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.ACCEPTED)
    assert "Words only the police have seen." in _preview(client, world, citing)
    assert _cite(world.entry_a) in _offered(client, world)

    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.RETURNED)
    page = _preview(client, world, citing)
    assert "Words only the police have seen." not in page and "[reference not found]" in page
    assert _cite(world.entry_a) not in _offered(client, world)


def test_a_file_made_while_an_entry_was_citable_is_superseded_once_it_is_not(world: World, citing):
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.ACCEPTED)
    document = citing.document
    accepted = document_fingerprint(document, fmt="pdf", publication=False)[0]
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.RETURNED)
    assert document_fingerprint(document, fmt="pdf", publication=False)[0] != accepted
