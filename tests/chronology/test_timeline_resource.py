"""The integrated chronology's timeline picture is served on its own, as an image the browser
keeps: inlined, it made every load, filter and poll of a 40,000-entry page 3.5 MB heavier."""

import hashlib
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from chronology.models import IntegratedChronology
from tests.chronology.integrated_world import build as _build

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def _timeline_url(chronology) -> str:
    return reverse("chronology:timeline", args=[chronology.review_id, chronology.version])


def test_the_page_shows_the_timeline_as_an_image_with_a_text_alternative(client, review, world):
    chronology = _build(review)
    client.force_login(world.chair)
    page = client.get(reverse("chronology:integrated", args=[review.pk])).content.decode()
    fingerprint = hashlib.md5(chronology.timeline_svg.encode()).hexdigest()
    assert f'<img src="{_timeline_url(chronology)}?d={fingerprint}"' in page
    assert 'alt="Timeline of version 1: 7 entries from 3 agencies, a lane for each agency' in page
    assert "<svg" not in page and chronology.timeline_svg[:200] not in page


def test_the_chair_gets_the_picture_with_its_title_and_description_then_304_while_unchanged(client, review, world):
    chronology = _build(review)
    client.force_login(world.chair)
    response = client.get(_timeline_url(chronology))
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.decode() == chronology.timeline_svg
    root = ET.fromstring(response.content)
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc").text.startswith("Timeline of 7 entries")
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["Content-Security-Policy"].startswith("default-src 'none'; sandbox")
    etag = response["ETag"]
    assert etag == f'"{chronology.pk}-{hashlib.md5(chronology.timeline_svg.encode()).hexdigest()}"'

    unchanged = client.get(_timeline_url(chronology), HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged["ETag"] == etag

    # Drawn again (an episode or the register changed): a new ETag, and the new picture.
    IntegratedChronology.objects.filter(pk=chronology.pk).update(timeline_svg=chronology.timeline_svg + "<!-- -->")
    redrawn = client.get(_timeline_url(chronology), HTTP_IF_NONE_MATCH=etag)
    assert redrawn.status_code == 200 and redrawn["ETag"] != etag and redrawn.content.endswith(b"<!-- -->")


@pytest.mark.parametrize("persona", ["author_a", "author_b", "outsider", "other_board_admin"])
def test_the_picture_is_not_found_by_anyone_the_page_is_not_found_by(client, review, world, persona):
    chronology = _build(review)
    client.force_login(getattr(world, persona))
    assert client.get(_timeline_url(chronology)).status_code == 404
    assert client.get(reverse("chronology:integrated", args=[review.pk])).status_code == 404


def test_another_reviews_chair_is_not_found_with_this_reviews_version(client, review, world):
    chronology = _build(review)
    other = world.other_review
    client.force_login(world.chair)
    # This review's version number under another review's address: that review has no such version.
    assert client.get(reverse("chronology:timeline", args=[other.pk, chronology.version])).status_code == 404


def test_a_version_without_a_picture_or_not_built_is_not_found(client, review, world):
    chronology = _build(review)
    client.force_login(world.chair)
    assert client.get(reverse("chronology:timeline", args=[review.pk, 99])).status_code == 404
    IntegratedChronology.objects.filter(pk=chronology.pk).update(timeline_svg="")
    assert client.get(_timeline_url(chronology)).status_code == 404
    assert "Timeline" not in client.get(reverse("chronology:integrated", args=[review.pk])).content.decode()
