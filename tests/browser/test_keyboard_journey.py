"""The IMR author's journey by keyboard alone: from the sign-in page to a submitted IMR with
Tab, Shift+Tab, Enter and typing, never the mouse; every control reached shows its focus."""

import re

import pytest

from reviews.models import Imr
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_imr_journeys import police_imr  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The element with the focus, described by what a screen reader would announce for it.
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const labelled = el.labels && el.labels.length ? el.labels[0].textContent : "";
    const label = labelled || el.getAttribute("aria-label") || "";
    const style = getComputedStyle(el);
    return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || "").trim(), label: label.trim(),
            name: el.getAttribute("name") || "",
            outlined: style.outlineStyle !== "none" && style.outlineWidth !== "0px" || style.boxShadow !== "none"};
}"""


def tab_to(page, pattern: str, *, limit: int = 250) -> dict:
    """Press Tab until the focused control's text or label matches ``pattern``; it must show
    that it has the focus (an outline or a focus ring)."""
    wanted = re.compile(pattern)
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and (wanted.search(focused["text"]) or wanted.search(focused["label"])):
            assert focused["outlined"], f"{pattern!r} has the focus but shows no focus indicator"
            return focused
    raise AssertionError(f"Tab never reached a control matching {pattern!r} on {page.url}")


def test_the_imr_author_submits_an_imr_by_keyboard_alone(new_page, police_imr):  # noqa: F811
    page = new_page()
    sign_in(page, "police")

    tab_to(page, r"^BDHR2012/13-04")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/reviews/\d+/$"))
    tab_to(page, r"^West Midlands Police$")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="IMR: West Midlands Police").wait_for()
    tab_to(page, r"^Chronology \(0\)")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("Chronology")).first.wait_for()

    tab_to(page, r"^Date")
    page.keyboard.type("9 August 2010")
    tab_to(page, r"^Source")
    page.keyboard.type("Incident log 0912")
    tab_to(page, r"^Details")
    page.keyboard.type("Officers attended after a 999 call; DASH completed.")
    page.keyboard.press("Control+Enter")
    page.get_by_role("cell", name="9 Aug 2010", exact=True).wait_for()
    assert_accessible(page)

    tab_to(page, r"^Back to the IMR$")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="IMR: West Midlands Police").wait_for()
    tab_to(page, r"^Narrative and recommendations$")
    page.keyboard.press("Enter")
    page.get_by_label("Single-agency recommendations").wait_for()
    lines = police_imr.review.key_lines.count()
    for _ in range(lines):
        focused = tab_to(page, r".")
        while not focused["name"].startswith("line_"):
            focused = tab_to(page, r".")
        page.keyboard.type("The force knew of two incidents; risk was assessed as medium each time.")
    tab_to(page, r"^Single-agency recommendations")
    page.keyboard.type("Check previous history before every DASH.")
    tab_to(page, r"^Save$")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="IMR: West Midlands Police").wait_for()
    tab_to(page, r"^Submit the IMR$")
    page.keyboard.press("Enter")
    page.get_by_text("IMR submitted.").wait_for()
    police_imr.refresh_from_db()
    assert police_imr.status == Imr.Status.SUBMITTED
    assert police_imr.entries.get().details == "Officers attended after a 999 call; DASH completed."
    assert police_imr.answers.count() == lines
    assert_accessible(page)
