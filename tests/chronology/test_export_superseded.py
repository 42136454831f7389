"""A designations export of the integrated chronology is tied to what it was made from: once the
person register, the chair's publication decisions or the key episodes change, it is shown as
superseded and no longer downloaded. A panel export is what the agencies wrote, and stays."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chronology.exports.selectors import export_is_current
from chronology.exports.services import export_request
from chronology.models import ChronologyExport
from chronology.tasks import chronology_export_task
from reviews.models import Imr
from tests.chronology.integrated_world import build
from tests.factories import EntryFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _export(world, chronology, names: str) -> ChronologyExport:
    export = export_request(actor=world.chair, chronology=chronology, fmt="csv", names=names)
    assert chronology_export_task(export.pk) == "ready"
    export.refresh_from_db()
    return export


def test_a_designations_export_is_superseded_when_the_register_changes_and_is_not_downloaded(client, world):
    EntryFactory(imr=world.imr_a, details="Visited the family at home.")
    Imr.objects.filter(pk=world.imr_a.pk).update(status=Imr.Status.ACCEPTED)
    chronology = build(world.review)
    published, panel = _export(world, chronology, "designations"), _export(world, chronology, "real")
    download = reverse("chronology:export_download", args=[world.review.pk, published.pk])
    client.force_login(world.chair)
    assert client.get(download).status_code == 200

    PersonFactory(review=world.review, real_name="Kian Rafiq", designation="Child 2")

    assert not export_is_current(published) and export_is_current(panel)
    response = client.get(download, follow=True)
    assert response.redirect_chain and "is superseded" in response.content.decode()
    assert "Content-Disposition" not in response
    page = client.get(reverse("chronology:integrated", args=[world.review.pk])).content.decode()
    assert "Superseded</span> NDHR-01-integrated-chronology-v1-designations.csv" in page
    panel_download = reverse("chronology:export_download", args=[world.review.pk, panel.pk])
    assert client.get(panel_download)["Content-Disposition"].startswith("attachment")
    # Asked for again, the new file is current.
    assert export_is_current(_export(world, chronology, "designations"))
