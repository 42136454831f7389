"""Playwright driving the machine's Chromium against the live test server."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "casereview-demo"


@pytest.fixture
def demo(live_server):
    """The demo review of the seed DHR, with its users (reviews.demo), as `make run` serves it."""
    from django.core.management import call_command

    from reviews.models import Review

    call_command("load_demo", verbosity=0)
    return Review.objects.get(reference="BDHR2012/13-04")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is not installed at {CHROMIUM}; .ci/run installs it")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    contexts = []
    # Anything the Content-Security-Policy refused: a journey passes only if nothing was.
    refused: list[str] = []

    def make():
        # Reduced motion, which turns Bootstrap's transitions off: axe measures a button's colours as they
        # are, not halfway through the hover a swapped-in element under the pointer starts.
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, reduced_motion="reduce"
        )
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                refused.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
            ),
        )
        return page

    yield make
    for context in contexts:
        context.close()
    assert not refused, refused


def sign_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Password, then the code from the user's authenticator (computed from its key)."""
    from accounts.models import User
    from tests.conftest import totp_code

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/mfa/**")
    page.get_by_label("Code").fill(totp_code(User.objects.get(username=username)))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/")


# axe-core's rules for WCAG 2.0, 2.1 and 2.2 at A and AA, and its best practices (headings, landmarks,
# regions): a page fails on a serious or critical violation of any of them.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page) -> list[dict]:
    """axe-core on the page as it stands: its serious and critical violations, each with up to three elements."""
    # Evaluated over the DevTools protocol: a <script> tag would be refused by the page's CSP.
    page.evaluate(AXE.read_text() + "\n;undefined")
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
                                                why: v.nodes[0].failureSummary}));
        }""",
        AXE_TAGS,
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def assert_accessible(page) -> None:
    """axe-core on the page as it stands: no serious or critical violations (WCAG 2.2 AA and best practice)."""
    serious = axe_violations(page)
    assert not serious, f"{page.url}: {serious}"


# WCAG 1.4.10 Reflow: content fits 320 CSS pixels (1280 px at 400% zoom) without scrolling sideways.
REFLOW_VIEWPORT = {"width": 320, "height": 640}


def sideways_scroll(page) -> str:
    """Why the page scrolls sideways at its present width ("" when it does not): how far, and the
    outermost elements past the right edge that no scrolling box of their own holds."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth, overflow = document.documentElement.scrollWidth - width;
            if (overflow <= 0) return "";
            // Past the edge unless a scrolling box holds it: the nearest one from its containing block
            // (for an absolutely positioned element, its positioned ancestor) that ends within the page.
            const escapes = (start) => {
                for (let box = start; box && box !== document.body; box = box.parentElement) {
                    if (getComputedStyle(box).overflowX !== "visible") {
                        return box.getBoundingClientRect().right > width + 1 && escapes(box.parentElement);
                    }
                }
                return true;
            };
            const past = [...document.querySelectorAll("body *")].filter((element) => {
                const rect = element.getBoundingClientRect(), position = getComputedStyle(element).position;
                if (rect.width === 0 || rect.right <= width + 1 || position === "fixed") return false;
                return escapes(position === "absolute" ? element.offsetParent : element.parentElement);
            });
            const outermost = past.filter((element) => !past.includes(element.parentElement));
            const describe = (element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
                + [...element.classList].map((name) => "." + name).join("")
                + ` "${(element.textContent || "").trim().slice(0, 40)}"`;
            return `${overflow}px too wide: ` + outermost.slice(0, 5).map(describe).join("; ");
        }"""
    )


def assert_reflows(page) -> None:
    """At 320 px wide the page does not scroll sideways; the viewport is put back as it was."""
    viewport = page.viewport_size
    page.set_viewport_size(REFLOW_VIEWPORT)
    try:
        problem = sideways_scroll(page)
    finally:
        page.set_viewport_size(viewport)
    assert not problem, f"{page.url} at 320 px: {problem}"
