"""A rendered file is tied to a fingerprint of everything it is made from. When any of it
changes, a publication file is superseded: shown as such, no longer downloadable as a
publication version; the next render has a name of its own."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from actions import services as action_services
from reports import render_service
from reports.models import Document, DocumentRender
from reports.render import document_fingerprint
from reports.tasks import render_document_task
from reviews.models import Person, PublicationDecision
from tests.conftest import World
from tests.reports.render_fixtures import make_document, paragraphs

pytestmark = pytest.mark.django_db


def _render(document: Document, *, publication: bool = True, fmt: str = "pdf") -> DocumentRender:
    row = render_service.render_request(actor=None, document=document, fmt=fmt, publication=publication)
    render_document_task(row.pk)  # the on-commit task, run here
    row.refresh_from_db()
    return row


def _panel(client: Client, document: Document) -> str:
    return client.get(reverse("reports:document", args=[document.review_id, document.pk])).content.decode()


def _download(client: Client, row: DocumentRender):
    return client.get(reverse("reports:render_download", args=[row.document.review_id, row.document_id, row.pk]))


def test_a_publication_file_is_superseded_when_the_register_changes(client: Client, world: World):
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    first = _render(document)
    panel = _render(document, publication=False)
    assert first.status == panel.status == DocumentRender.Status.READY, first.error
    assert first.filename == f"NDHR-01-overview-publication-r{first.pk}.pdf"
    client.force_login(world.chair)
    assert f"download {first.filename}" in _panel(client, document)
    assert _download(client, first).status_code == 200

    Person.objects.filter(pk=world.person.pk).update(designation="Mrs M")  # the register changes
    html = _panel(client, document)
    assert f"download {first.filename}" not in html
    assert f"Superseded</span> {first.filename}: the document or what it is made from has changed" in html
    badge = '<span class="badge text-bg-secondary">Superseded</span>'
    assert f"download {panel.filename}</a> ({panel.page_count} pages) {badge}" in html
    refused = _download(client, first)
    assert refused.status_code == 302 and refused.get("Content-Disposition") is None
    assert f"{first.filename} is superseded" in client.get(refused.url).content.decode()
    assert _download(client, panel).status_code == 200  # a panel file stays downloadable

    second = _render(document)
    assert second.pk != first.pk and second.filename != first.filename
    assert second.status == DocumentRender.Status.READY
    assert f"download {second.filename}" in _panel(client, document)
    assert _download(client, second)["Content-Disposition"] == f'attachment; filename="{second.filename}"'


def _rename_partnership(world: World, document: Document) -> None:
    world.review.partnership.name = "Northshire Safeguarding Adults Board"
    world.review.partnership.save(update_fields=["name"])


def _rename_case(world: World, document: Document) -> None:
    world.review.case_name = "Adult B"
    world.review.save(update_fields=["case_name"])


def _decide(world: World, document: Document) -> None:
    PublicationDecision.objects.create(review=world.review, kind="acknowledge", scope="section:1", text_hash="0" * 24,
                                       term_key="marsh", occurrence=1, reason="A street name.")  # fmt: skip


def _reword_recommendation(world: World, document: Document) -> None:
    world._recommendation.text = "Train every call handler."
    world._recommendation.save(update_fields=["text"])


def _reword_action(world: World, document: Document) -> None:
    world._action.text = "Brief every call handler twice."
    world._action.save(update_fields=["text"])


def _correct_cited_entry(world: World, document: Document) -> None:
    world.entry_b.details = "The health visitor called at the family home."
    world.entry_b.save(update_fields=["details"])


@pytest.mark.parametrize(
    "change",
    [_rename_partnership, _rename_case, _decide, _reword_recommendation, _reword_action, _correct_cited_entry],
    ids=lambda change: change.__name__.strip("_"),
)
def test_the_fingerprint_of_a_publication_version_covers_what_it_is_made_from(world: World, change: Callable):
    recommendation = action_services.recommendation_create(
        actor=world.chair, review=world.review, data=action_services.RecommendationData(text="Train call handlers.")
    )
    world._recommendation = recommendation
    world._action = recommendation.actions.create(
        text="Brief every call handler.", lead_agency=world.agency_a, target_date="2030-03-31"
    )
    body = f"<p>Seen [[entry:{world.entry_b.pk}]].</p>"
    document = make_document(world, sections=[("Introduction", body), ("Recommendations", paragraphs(1))])
    before = document_fingerprint(document, fmt="pdf", publication=True)[0]
    change(world, document)
    document = Document.objects.select_related("review__partnership").get(pk=document.pk)
    assert document_fingerprint(document, fmt="pdf", publication=True)[0] != before


def test_a_publication_decision_leaves_the_panel_version_as_it_was(world: World):
    document = make_document(world, sections=[("Introduction", paragraphs(1))])
    before = document_fingerprint(document, fmt="pdf", publication=False)[0]
    _decide(world, document)
    assert document_fingerprint(document, fmt="pdf", publication=False)[0] == before
