"""Every paged table's pager (templates/snippets/pager.html): its links keep the page's filters,
never start or double an '&', and land on the page they name, with its rel and accessible names."""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.urls import reverse

from chronology import selectors as chronology_selectors
from chronology.integrated import selectors as integrated_selectors
from reviews import views as review_views
from reviews.models import AuditEntry
from tests.chronology.integrated_world import build as _build
from tests.chronology.test_chronology_paging import _fill
from tests.chronology.test_link_pairs_page import _more_links

pytestmark = pytest.mark.django_db


def _pager(html: str, label: str) -> str:
    found = re.search(rf'<nav aria-label="{label}">(.*?)</nav>', html, re.S)
    assert found, f"no {label} navigation"
    return found.group(1)


def _links(nav: str) -> dict[str, str]:
    """The nav's links by their visible words."""
    pairs = re.findall(r'<a class="page-link" href="([^"]*)"[^>]*>(.*?)</a>', nav, re.S)
    return {re.sub(r'<span class="visually-hidden">.*?</span>', "", words).strip(): href for href, words in pairs}


def _follow(client, url: str, nav: str, words: str, *, kept: dict[str, str], number: int, rel: str | None = None):
    href = _links(nav)[words].replace("&amp;", "&")
    assert href.startswith("?") and not href.startswith("?&") and "&&" not in href and not href.endswith("&")
    params = dict(parse_qsl(urlsplit(href).query, keep_blank_values=True))
    assert params == {**kept, "page": str(number)}
    if rel:
        assert re.search(rf'<a class="page-link" href="[^"]*" rel="{rel}">{words}<', nav)
    response = client.get(url + href.split("#")[0])
    assert response.context["page"].number == number
    return response


def test_the_audit_trails_newer_and_older_links_keep_the_filters(client, review, world, monkeypatch):
    monkeypatch.setattr(review_views, "AUDIT_PAGE_SIZE", 2)
    AuditEntry.objects.bulk_create(
        AuditEntry(action="imr.note_added", review=review, object_type="imr", object_repr=f"Note {n}") for n in range(7)
    )
    client.force_login(world.chair)
    url = reverse("reviews:audit", args=[review.pk])
    kept = {"who": "", "action": "imr.note"}
    response = client.get(url, {**kept, "page": 2})
    html = response.content.decode()
    assert response.context["page"].paginator.num_pages == 4
    nav = _pager(html, "Audit pages")
    assert 'aria-current="page"><span class="page-link">Page 2 of' in nav
    assert "3–4 of 7 audit entries." in html
    _follow(client, url, nav, "Newer", kept=kept, number=1, rel="prev")
    _follow(client, url, nav, "Older", kept=kept, number=3, rel="next")


def test_the_suggested_links_pages_keep_the_filters_and_start_with_no_ampersand(client, review, world, monkeypatch):
    monkeypatch.setattr(integrated_selectors, "LINKS_PER_PAGE", 2)
    chronology = _build(review)
    _more_links(chronology, 5)
    client.force_login(world.chair)
    url = reverse("chronology:links", args=[review.pk])
    nav = _pager(client.get(url).content.decode(), "Link pages")
    _follow(client, url, nav, "Next", kept={}, number=2, rel="next")
    kept = {"kind": "date_conflict", "status": ""}
    nav = _pager(client.get(url, {**kept, "page": 2}).content.decode(), "Link pages")
    _follow(client, url, nav, "Previous", kept=kept, number=1, rel="prev")
    last = _follow(client, url, nav, "Last", kept=kept, number=3)
    assert all(pair.link.kind == "date_conflict" for pair in last.context["page"].object_list)


def test_the_integrated_chronologys_earlier_and_later_links_keep_the_filters(client, review, world, monkeypatch):
    monkeypatch.setattr(integrated_selectors, "PAGE_SIZE", 2)
    _build(review)
    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[review.pk])
    nav = _pager(client.get(url).content.decode(), "Chronology pages")
    _follow(client, url, nav, "Later", kept={}, number=2, rel="next")
    kept = {"v": "1", "linked": "linked", "q": ""}
    response = client.get(url, {**kept, "page": 2})
    assert response.context["page"].paginator.count == 5
    nav = _pager(response.content.decode(), "Chronology pages")
    _follow(client, url, nav, "Earlier", kept=kept, number=1, rel="prev")
    _follow(client, url, nav, "Later", kept=kept, number=3, rel="next")


def test_an_agencys_chronology_has_numbered_page_links_and_a_go_to_page_box(client, world, monkeypatch):
    monkeypatch.setattr(chronology_selectors, "PAGE_SIZE", 1)
    imr = world.imr_a
    _fill(imr, 9)  # and the world's own entry: 10 pages of one
    client.force_login(world.author_a)
    url = reverse("chronology:entries", args=[imr.review_id, imr.pk])
    response = client.get(url, {"page": 4})
    assert response.context["page"].paginator.num_pages == 10
    nav = _pager(response.content.decode(), "Chronology pages")
    # Previous, the pages either side of this one and at the ends, a gap, the last, Next.
    assert re.findall(r'href="\?page=(\d+)"', nav) == ["3", "1", "2", "3", "5", "6", "10", "5"]
    assert '<span class="visually-hidden">Page </span>4<span class="visually-hidden"> of 10</span>' in nav
    assert 'aria-current="page"' in nav and '<span class="page-link" aria-hidden="true">…</span>' in nav
    _follow(client, url, nav, "Previous", kept={}, number=3, rel="prev")
    _follow(client, url, nav, "Next", kept={}, number=5, rel="next")
    html = response.content.decode()
    assert re.search(r'<label[^>]*for="page-jump">Go to page</label>', html)
    assert re.search(r'<input[^>]*id="page-jump" name="page" min="1" max="10" value="4"', html)


def test_the_go_to_page_box_keeps_the_filters_and_lands_on_the_anchor():
    page = Paginator(range(50), 5).page(3)
    html = render_to_string(
        "snippets/pager.html",
        {"page": page, "page_range": page.paginator.get_elided_page_range(3), "query": "agency=4&q=a+%26+b&q=",
         "param": "rows", "noun": "row", "label": "Row pages", "anchor": "rows-heading"},
    )  # fmt: skip
    form = re.search(r'<form method="get"[^>]*action="#rows-heading">(.*?)</form>', html, re.S)
    assert form, html
    hidden = re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form.group(1))
    assert hidden == [("agency", "4"), ("q", "a &amp; b"), ("q", "")]
    assert 'name="rows" min="1" max="10" value="3"' in form.group(1)
    assert 'href="?agency=4&amp;q=a+%26+b&amp;q=&amp;rows=2#rows-heading" rel="prev"' in html
    assert "11–15 of 50 rows." in html
