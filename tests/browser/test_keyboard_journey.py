"""The IMR author's journey by keyboard alone: from the sign-in page to a submitted IMR with
Tab, Shift+Tab, Enter and typing, never the mouse; every control reached shows its focus."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from reviews.imr_narrative_services import key_lines_for_agency
from reviews.models import Imr
from tests.browser.conftest import assert_accessible

# Other browser tests import FOCUSED and tab_to from here; they live in tests.browser.keyboard.
from tests.browser.keyboard import FOCUSED, sign_in_by_keyboard, tab_to  # noqa: F401
from tests.browser.test_imr_journeys import police_imr  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_imr_author_submits_an_imr_by_keyboard_alone(new_page, police_imr):  # noqa: F811
    page = new_page()
    sign_in_by_keyboard(page, "police")

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
    lines = key_lines_for_agency(police_imr.review_id, police_imr.agency_id).count()
    for number in range(1, lines + 1):
        tab_to(page, rf"^Answer to key line {number}$")
        page.keyboard.type("The force knew of two incidents; risk was assessed as medium each time.")
    # Each answer is saved a few seconds after the typing stops.
    saved = page.locator(".narrative-status").filter(has_text="Saved at")
    try:
        saved.nth(lines - 1).wait_for(timeout=90_000)
    except PlaywrightTimeoutError:  # say what each answer's status line said
        pytest.fail(f"Not every answer saved: {page.locator('.narrative-status').all_inner_texts()}")
    tab_to(page, r"^Single-agency recommendations")
    page.keyboard.type("Check previous history before every DASH.")
    tab_to(page, r"^Save recommendations$")
    page.keyboard.press("Enter")
    page.get_by_text("Recommendations saved.").wait_for()
    tab_to(page, r"^Back to the IMR$")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="IMR: West Midlands Police").wait_for()
    tab_to(page, r"^Submit the IMR$")
    page.keyboard.press("Enter")
    # Confirmed on a page of its own, signed off by the manager recorded for the IMR.
    page.get_by_role("heading", name="Submit the IMR of West Midlands Police").wait_for()
    tab_to(page, r"^Submit the IMR$")
    page.keyboard.press("Enter")
    page.get_by_text("IMR submitted.").wait_for()
    police_imr.refresh_from_db()
    assert police_imr.status == Imr.Status.SUBMITTED
    assert police_imr.entries.get().details == "Officers attended after a 999 call; DASH completed."
    assert police_imr.answers.count() == lines
    assert_accessible(page)
