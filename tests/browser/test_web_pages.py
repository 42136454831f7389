"""The web pages of the demo DHR's publication (manage.py publish_html), opened from disk as a
partnership's visitor would open them once saved: axe finds no serious or critical violation at
1280 and at 320 px wide, nothing scrolls sideways at 320 px, and with every network request
refused the pages ask for nothing outside their folder."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import AXE, AXE_TAGS, REFLOW_VIEWPORT, sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

DHR = "BDHR2012/13-04"


@pytest.fixture
def site(tmp_path) -> Path:
    call_command("load_demo", stdout=StringIO())
    folder = tmp_path / "site"
    call_command("publish_html", DHR, "--output", str(folder), stdout=StringIO())
    return folder


def _axe(page) -> list[dict]:
    page.evaluate(AXE.read_text() + "\n;undefined")
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({id: v.id, impact: v.impact,
                                                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }""",
        AXE_TAGS,
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def _context(browser, width: int, requests: list[str]):
    context = browser.new_context(
        viewport={"width": width, "height": 900 if width > 320 else REFLOW_VIEWPORT["height"]}
    )
    # Anything that would leave the machine is refused (and still listed as asked for).
    context.route(
        "**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_()
    )
    context.on("request", lambda request: requests.append(request.url))
    return context


@pytest.mark.parametrize("width", [1280, 320])
def test_every_page_passes_axe_and_reflows_with_no_request_leaving_the_folder(browser, site, width):
    requests: list[str] = []
    context = _context(browser, width, requests)
    page = context.new_page()
    try:
        pages = sorted(path.name for path in site.glob("*.html"))
        assert {"index.html", "overview-report.html", "executive-summary.html"} <= set(pages)
        for name in pages:
            page.goto((site / name).as_uri())
            # The bundled font, loaded from the folder (not one the machine happens to have).
            loaded = page.evaluate("async () => (await document.fonts.load('bold 16px \"Liberation Sans\"')).length")
            assert loaded, name
            assert page.evaluate("() => getComputedStyle(document.body).fontFamily").startswith('"Liberation Sans"')
            serious = _axe(page)
            assert not serious, (name, width, serious)
            if width == 320:
                assert not sideways_scroll(page), (name, sideways_scroll(page))
    finally:
        context.close()
    inside = site.as_uri() + "/"
    assert requests and all(url.startswith(inside) for url in requests), [
        u for u in requests if not u.startswith(inside)
    ]
    assert any(url.endswith("/style.css") for url in requests)
    assert any(url.endswith(".ttf") for url in requests)


def test_paragraph_anchors_and_footnote_links_land_on_their_targets(browser, site):
    requests: list[str] = []
    context = _context(browser, 1280, requests)
    page = context.new_page()
    try:
        page.goto((site / "overview-report.html").as_uri() + "#p1-3")
        assert page.evaluate("() => document.querySelector(':target').id") == "p1-3"
        top = page.evaluate("() => document.getElementById('p1-3').getBoundingClientRect().top")
        assert 0 <= top < 50
        mark = page.locator("sup.footnote-ref a").first
        note = mark.get_attribute("href")
        mark.click()
        assert page.evaluate("() => location.hash") == note
        assert page.evaluate("() => document.querySelector(':target').tagName") == "LI"
        page.locator(f"{note} a.back-link").click()
        assert page.evaluate("() => document.querySelector(':target').className") == "footnote-ref"
        page.get_by_role("link", name="Executive summary").first.click()
        assert page.url.endswith("/executive-summary.html")
    finally:
        context.close()
