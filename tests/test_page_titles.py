"""Every page's title says what the page is, and no two pages share one (WCAG 2.4.2).

The demo's people walk every page they can reach from the home page, following links (and someone
not signed in from the sign-in page); a title
must be "<page> · ... · casereview", name the review on a review's pages, and belong to one page
only (the same page under another query string, or seen by another role, may repeat it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from accounts.models import User
from reviews.models import Review

pytestmark = pytest.mark.django_db

DEMO_ROLES = ("chair", "panel", "police", "socialcare", "boardadmin", "owner", "gp")
# Enough pages of one kind (entries, sections, IMRs, ...) to see whether their titles differ.
PAGES_PER_KIND = 2
# Pages that change something when fetched, or answer with a file rather than a page.
NOT_PAGES = ("/accounts/logout/", "/admin/", "//")

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
LINK = re.compile(r'<a\b[^>]*\bhref="([^"#]+)', re.S)


def _title(html: str) -> str:
    match = TITLE.search(html)
    assert match, "page without a <title>"
    return " ".join(unescape(match.group(1)).split())


def _crawl(client: Client, start: str) -> dict[str, str]:
    """Path -> title of every HTML page reachable from `start`."""
    titles: dict[str, str] = {}
    paths_by_kind: dict[str, set[str]] = defaultdict(set)
    queue, queued = [start], {start}
    while queue:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        titles.setdefault(urlsplit(url).path, _title(html))
        for link in map(unescape, LINK.findall(html)):
            path = urlsplit(link).path
            if link in queued or not link.startswith("/") or link.startswith(NOT_PAGES):
                continue
            try:
                seen = paths_by_kind[resolve(path).view_name]
            except Resolver404:
                continue  # /static/ and /media/ files
            if path not in seen and len(seen) >= PAGES_PER_KIND:
                continue
            seen.add(path)
            queued.add(link)
            queue.append(link)
    return titles


def _demo_titles() -> dict[str, str]:
    call_command("load_demo", verbosity=0)
    titles = _crawl(Client(), "/accounts/login/")  # before signing in
    for username in DEMO_ROLES:
        client = Client()
        client.force_login(User.objects.get(username=username))
        titles.update(_crawl(client, "/"))
    return titles


def _shared(titles: dict[str, str]) -> list[str]:
    pages_by_title: dict[str, list[str]] = defaultdict(list)
    for path, title in titles.items():
        pages_by_title[title].append(path)
    return [f"{title}: {sorted(paths)}" for title, paths in sorted(pages_by_title.items()) if len(paths) > 1]


def _not_naming_page_and_review(titles: dict[str, str]) -> list[str]:
    references = {f"/reviews/{pk}/": reference for pk, reference in Review.objects.values_list("pk", "reference")}
    wrong = []
    for path, title in titles.items():
        page, *rest = title.split(" · ")
        review = next((reference for prefix, reference in references.items() if path.startswith(prefix)), None)
        if not page or rest[-1:] != ["casereview"] or (review is not None and review not in rest[:-1]):
            wrong.append(f"{path}: {title}")
    return wrong


@pytest.mark.slow  # the whole demo loaded and every page of it fetched as each role
def test_every_page_the_demo_roles_reach_has_a_title_of_its_own_naming_the_page_and_its_review():
    titles = _demo_titles()
    assert len(titles) > 40  # the crawl went everywhere, not only to the home page
    assert not _shared(titles), "Titles shared by different pages:\n" + "\n".join(_shared(titles))
    wrong = _not_naming_page_and_review(titles)
    assert not wrong, "Titles not '<page> · <review> · casereview':\n" + "\n".join(wrong)
