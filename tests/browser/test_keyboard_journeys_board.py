"""The board administrator's journey by keyboard alone: sign in, add an action to a
recommendation of the demo review's action plan, then read the board dashboard through a
filter to its table of reviews, with Tab, Enter, the arrow keys and typing, never the mouse.
Every control reached shows its focus, and axe finds nothing serious on the way."""

import re

import pytest

from actions.models import Action
from tests.browser.conftest import assert_accessible
from tests.browser.keyboard import focused, follow, sign_in_by_keyboard, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE = "BDHR2012/13-04"
ACTION = "Audit every DASH form completed in the quarter and report the findings to the board."


def _choose(page, option: str, *, limit: int = 60) -> None:
    """In the focused select, press the down arrow until ``option`` is chosen."""
    for _ in range(limit):
        if page.evaluate("() => document.activeElement.selectedOptions[0].textContent.trim()") == option:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{focused(page)} has no option {option!r}")


def test_the_board_administrator_adds_an_action_and_reads_the_dashboard_by_keyboard_alone(new_page, demo):
    page = new_page()
    sign_in_by_keyboard(page, "boardadmin")
    assert_accessible(page)

    follow(page, rf"^{re.escape(REFERENCE)}$", re.compile(r"^BDHR2012"))
    assert_accessible(page)
    follow(page, r"^Action plan$", "Action plan")
    assert_accessible(page)
    follow(page, r"^Add an action\s+to recommendation 1$", "Add an action")
    assert_accessible(page)

    tab_to(page, r"^Action\*?$")  # not the "Action plan" tab
    page.keyboard.type(ACTION)
    tab_to(page, r"^Lead agency")
    _choose(page, "West Midlands Police")
    tab_to(page, r"^Target date")
    page.keyboard.type("12122027")  # the same day and month, whatever order the browser's date field takes
    tab_to(page, r"^Save$")
    page.keyboard.press("Enter")
    page.get_by_text("Action added to recommendation 1.").wait_for()
    page.get_by_role("heading", name="Action for recommendation 1", level=1).wait_for()
    action = Action.objects.get(text=ACTION)
    assert action.lead_agency.name == "West Midlands Police" and str(action.target_date) == "2027-12-12"
    assert_accessible(page)

    follow(page, r"^My reviews$", "My reviews")
    follow(page, r"^board dashboard", "Board dashboard")
    assert_accessible(page)
    tab_to(page, r"^Type$")
    _choose(page, "Domestic Homicide Review")
    tab_to(page, r"^Filter$")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"review_type=dhr"))
    reviews = page.get_by_role("table", name="Reviews, soonest statutory deadline first")
    assert REFERENCE in reviews.inner_text() and "BPSCR-FamilyB" not in reviews.inner_text()
    assert_accessible(page)
    # The table of reviews is reached by Tab: the box that scrolls it, or its first review.
    tab_to(page, rf"^Reviews, soonest statutory deadline first|^{re.escape(REFERENCE)}$")
