"""The board administrator changes the hour reminders are sent, on the partnership's page, in
Chromium, with axe-core on the page before and after."""

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_admin_changes_the_reminder_hour_and_a_wrong_hour_is_explained(new_page, demo):
    page = new_page()
    sign_in(page, "boardadmin")
    page.goto(f"/partnerships/{demo.partnership_id}/")
    assert page.get_by_text("once a day, at 07:15 UK time").is_visible()
    assert_accessible(page)

    page.get_by_label("Hour reminders are sent").fill("24")
    page.get_by_role("button", name="Save hour").click()
    page.get_by_text("Reminder hour not saved").wait_for()
    assert page.get_by_text("0 (midnight) to 23 (11 pm)", exact=False).first.is_visible()
    assert_accessible(page)

    page.get_by_label("Hour reminders are sent").fill("9")
    page.get_by_role("button", name="Save hour").click()
    page.get_by_text("are sent at 09:15 from now on").wait_for()
    assert page.get_by_text("once a day, at 09:15 UK time").is_visible()
    assert_accessible(page)
