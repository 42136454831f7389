"""Every kind of page each demo role can reach by following links, at 320 px wide: the page does not
scroll sideways (WCAG 1.4.10), axe finds no serious or critical violation (WCAG 2.2 AA and best
practice), it has one <h1>, and its title is its own."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import REFLOW_VIEWPORT, axe_violations, sideways_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ("chair", "panel", "police", "socialcare", "boardadmin", "owner", "gp")
# Files rather than pages: following one would make the file (a PDF is rendered on the spot). Any other
# link that answers with something other than HTML is passed over by its Content-Type.
DOWNLOADS = {
    "chronology:template",
    "chronology:download",
    "chronology:export_download",
    "chronology:timeline",
    "reports:render_download",
    "reports:publication_report_pdf",
    "actions:export",
    "actions:evidence_download",
    "actions:board_export_download",
}
NOT_PAGES = {"logout", "session_keep_alive"}
# Each kind of page is loaded once per role (about 20 kinds each); the cap keeps a runaway crawl short.
PAGES_PER_ROLE = 40


def page_kind(url: str) -> str | None:
    """The URL pattern's name ("reviews:detail"), or None for a URL that is not one of the site's pages."""
    parts = urlsplit(url)
    if parts.path.startswith("/admin/"):
        return None
    try:
        kind = resolve(parts.path).view_name
    except Resolver404:
        return None
    # The first page of a list stands for the others.
    if kind in DOWNLOADS or kind in NOT_PAGES or parse_qs(parts.query).get("page", ["1"]) != ["1"]:
        return None
    return kind


def links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)")
    same_origin = [urlsplit(href) for href in hrefs if href.startswith(origin + "/")]
    return [parts.path + (f"?{parts.query}" if parts.query else "") for parts in same_origin]


def open_page(page, url: str):
    """The response if the URL answers with an HTML page, else None (a file, or a download)."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return None
        raise
    if response is None or not response.headers.get("content-type", "").startswith("text/html"):
        return None
    return response


def page_problems(page, response, titles: dict[str, str], where: str) -> list[str]:
    problems = []
    if not response.ok:
        problems.append(f"{where}: answers {response.status}")
    if scroll := sideways_scroll(page):
        problems.append(f"{where}: scrolls sideways at 320 px, {scroll}")
    if (headings := page.locator("h1").count()) != 1:
        problems.append(f"{where}: {headings} <h1> elements")
    title = page.title()
    if title in titles:
        problems.append(f"{where}: the same title as {titles[title]}: {title!r}")
    titles.setdefault(title, where)
    for violation in axe_violations(page):
        problems.append(f"{where}: axe {violation['id']} ({violation['impact']}) on {violation['nodes']}")
    return problems


def crawl(page, origin: str, role: str, start: list[str]) -> tuple[list[str], int]:
    """Breadth first from the start URLs, each kind of page once: the problems found, and the pages loaded."""
    problems: list[str] = []
    kinds: set[str] = set()
    titles: dict[str, str] = {}
    queue = list(start)
    loaded = 0
    while queue and loaded < PAGES_PER_ROLE:
        url = queue.pop(0)
        kind = page_kind(url)
        if kind is None or kind in kinds:
            continue
        kinds.add(kind)
        response = open_page(page, url)
        # A link that redirects (the sign-in page, to someone signed in) lands on a kind of its own.
        landed = page_kind(page.url)
        if response is None or landed is None or (landed != kind and landed in kinds):
            continue
        kinds.add(landed)
        kind = landed
        loaded += 1
        problems += page_problems(page, response, titles, f"{role} {kind} {url}")
        queue += links(page, origin)
    return problems, loaded


def test_every_page_the_demo_roles_reach_reflows_and_passes_axe(new_page, live_server, demo):
    problems: list[str] = []
    loaded = 0
    for role in ROLES:
        page = new_page()
        page.set_viewport_size(REFLOW_VIEWPORT)
        sign_in(page, role)
        # The demo review first, so that each kind of page is checked on the review with chronologies,
        # documents and an action plan in it; then whatever else the home page leads to.
        found, count = crawl(page, live_server.url, role, [f"/reviews/{demo.pk}/", "/"])
        problems += found
        loaded += count
        page.context.close()
    assert loaded > 60, f"only {loaded} pages were reached"
    assert not problems, f"{len(problems)} problems on {loaded} pages:\n" + "\n".join(problems)
