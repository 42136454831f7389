"""A change made in place (htmx) that the server refuses is answered with the reason, in plain
text the page shows: the page may be older than the IMR's submission or the entry's deletion.
Without htmx the refusal is the usual 403 or 404 page."""

import pytest
from django.urls import reverse

from chronology.models import ChronologyEntry
from reviews.models import Imr
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
EDIT = {"date": "Aug 2020", "details": "Changed."}


def _url(name, imr, *extra):
    return reverse(f"chronology:{name}", args=[imr.review_id, imr.pk, *extra])


def _plain(response) -> str:
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.content.decode()


def test_a_change_to_an_imr_submitted_meanwhile_says_it_was_submitted(client, world):
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.SUBMITTED)
    client.force_login(world.author_a)
    for response in (
        client.post(_url("entry_edit", world.imr_a, world.entry_a.pk), EDIT, **HTMX),
        client.post(_url("entry_create", world.imr_a), EDIT, **HTMX),
        client.post(_url("entry_delete", world.imr_a, world.entry_a.pk), **HTMX),
        client.post(_url("entry_move", world.imr_a, world.entry_a.pk), {"direction": "up"}, **HTMX),
    ):
        assert response.status_code == 403
        assert _plain(response) == (
            "That change was not saved: the IMR is now submitted, so its chronology can no longer be changed. "
            "Reload the page to see it as it is now."
        )
    world.entry_a.refresh_from_db()
    assert world.entry_a.details != "Changed."


def test_a_change_to_an_entry_deleted_meanwhile_says_it_was_deleted(client, world):
    pk = world.entry_a.pk
    ChronologyEntry.objects.filter(pk=pk).delete()
    client.force_login(world.author_a)
    for response in (
        client.get(_url("entry_edit", world.imr_a, pk), **HTMX),
        client.get(_url("entry_row", world.imr_a, pk), **HTMX),
        client.post(_url("entry_move", world.imr_a, pk), {"direction": "up"}, **HTMX),
    ):
        assert response.status_code == 404
        assert "the entry is no longer in the chronology (it may have been deleted)" in _plain(response)


def test_another_agencys_author_is_told_nothing_about_the_chronology(client, world):
    client.force_login(world.author_b)
    response = client.get(_url("entry_edit", world.imr_a, world.entry_a.pk), **HTMX)
    assert response.status_code == 404
    assert _plain(response) == "That change was not saved: you do not have access to this chronology."


def test_the_panel_may_read_an_imr_returned_for_clarification_but_is_told_it_may_not_change_it(client, world):
    Imr.objects.filter(pk=world.imr_b.pk).update(status=Imr.Status.RETURNED)
    entry = EntryFactory(imr=world.imr_b)
    client.force_login(world.panel)
    response = client.post(_url("entry_delete", world.imr_b, entry.pk), **HTMX)
    assert response.status_code == 403
    assert _plain(response) == "That change was not saved: you may read this chronology but not change it."
    assert ChronologyEntry.objects.filter(pk=entry.pk).exists()


def test_without_htmx_a_refusal_is_the_usual_page(client, world):
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.SUBMITTED)
    client.force_login(world.author_a)
    response = client.post(_url("entry_edit", world.imr_a, world.entry_a.pk), EDIT)
    assert response.status_code == 403 and not response["Content-Type"].startswith("text/plain")
