"""The accessibility statement (GOV.UK's model statement for public sector websites): open to
anyone, linked from every page's footer, and naming a real way to report a problem."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

MODEL_HEADINGS = [
    "Accessibility statement for casereview",
    "How accessible this service is",
    "Feedback and contact information",
    "Reporting accessibility problems with this service",
    "Enforcement procedure",
    "Technical information about this service's accessibility",
    "Compliance status",
    "Non-accessible content",
    "Preparation of this accessibility statement",
]


def _headings(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", text).replace("&#x27;", "'").strip()
        for text in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, re.S)
    ]


def test_the_statement_follows_the_model_and_is_open_to_anyone():
    response = Client().get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    headings = _headings(html)
    assert [h for h in headings if h in MODEL_HEADINGS] == MODEL_HEADINGS, headings
    assert "partially compliant" in html and "Web Content Accessibility Guidelines version 2.2" in html
    for body in (
        "Equality and Human Rights Commission",
        "Equality Advisory and Support Service",
        "Equality Commission for Northern Ireland",
    ):
        assert body in html
    assert "prepared on 3 December 2026" in html and "axe-core" in html and "keyboard" in html


def test_problems_are_reported_to_the_board_administrator_and_the_address_set_for_it(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    html = Client().get(reverse("accessibility")).content.decode()
    assert "board administrator of your safeguarding partnership" in html and "mailto:" not in html
    settings.ACCESSIBILITY_CONTACT_EMAIL = "accessibility@northshire.example"
    html = Client().get(reverse("accessibility")).content.decode()
    assert 'href="mailto:accessibility@northshire.example"' in html


def test_every_page_links_to_the_statement(client, world):
    statement = f'href="{reverse("accessibility")}"'
    assert statement in Client().get(reverse("login")).content.decode()
    client.force_login(world.chair)
    assert statement in client.get(reverse("reviews:detail", args=[world.review.pk])).content.decode()
