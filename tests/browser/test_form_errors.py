"""A form sent back with errors, in Chromium: the title starts "Error: ", the page starts at the error
summary (it has the focus), each of its links moves the focus to the control it is about, and that
control is invalid and described by its error; axe finds nothing serious on the page as it stands."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IN_SUMMARY = "() => !!document.activeElement && document.activeElement.hasAttribute('data-error-summary')"
FOCUSED_ID = "() => document.activeElement ? document.activeElement.id : ''"


def summary_links(page) -> list[tuple[str, str]]:
    links = page.locator("[data-error-summary] a")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href")) for i in range(links.count())]


def assert_page_starts_at_the_summary(page, title: str) -> list[tuple[str, str]]:
    expect(page).to_have_title(re.compile("^Error: " + re.escape(title)))
    page.wait_for_load_state("load")  # the title is there before the page's script has run
    assert page.evaluate(IN_SUMMARY), "the focus is not on the error summary"
    expect(page.locator("[data-error-summary]")).to_have_accessible_name("There is a problem")
    links = summary_links(page)
    assert links
    return links


def follow_each_link_by_keyboard(page, links: list[tuple[str, str]]) -> None:
    """From the summary, Tab to each link and press Enter: the focus moves to its control, which is
    invalid and whose accessible description has the error."""
    for index, (message, href) in enumerate(links):
        page.locator("[data-error-summary]").focus()
        for _ in range(index + 1):
            page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent.trim()") == message
        page.keyboard.press("Enter")
        page.wait_for_function("(id) => document.activeElement && document.activeElement.id === id", arg=href[1:])
        control = page.locator(href)
        expect(control).to_have_attribute("aria-invalid", "true")
        told = message.partition(": ")[2] or message  # the summary names the field first
        expect(control).to_have_accessible_description(re.compile(re.escape(told)))


def test_a_wrong_password_is_told_at_the_password_field(new_page, demo):
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("chair")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    links = assert_page_starts_at_the_summary(page, "Sign in")
    assert [href for _, href in links] == ["#id_password"]
    follow_each_link_by_keyboard(page, links)
    assert_accessible(page)


def test_a_wrong_code_is_told_at_the_code_field_and_the_page_starts_at_the_summary(new_page, demo):
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("chair")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/mfa/**")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    links = assert_page_starts_at_the_summary(page, "Enter your code")
    assert [href for _, href in links] == ["#id_code"]
    follow_each_link_by_keyboard(page, links)
    assert_accessible(page)


def test_the_chair_requesting_an_imr_is_told_each_problem_at_its_field(new_page, demo):
    page = new_page()
    sign_in(page, "chair")
    page.goto(f"/reviews/{demo.pk}/imrs/new/")
    page.get_by_role("button", name="Request").click()
    links = assert_page_starts_at_the_summary(page, "Request an IMR · BDHR2012/13-04")
    assert [href for _, href in links] == ["#id_agency"]
    follow_each_link_by_keyboard(page, links)
    assert_accessible(page)


def test_a_form_sent_again_after_following_a_link_starts_at_the_summary_again(new_page, demo):
    """Following a summary link must not leave the field's #id in the address: the form, sent
    again, would come back scrolled to that field instead of starting at the new summary."""
    page = new_page()
    sign_in(page, "chair")
    page.goto(f"/reviews/{demo.pk}/imrs/new/")
    page.get_by_role("button", name="Request").click()
    follow_each_link_by_keyboard(page, assert_page_starts_at_the_summary(page, "Request an IMR"))
    page.get_by_label("Or add an agency to the directory").fill("West Midlands Police")
    page.get_by_role("button", name="Request").click()
    links = assert_page_starts_at_the_summary(page, "Request an IMR")
    told = '"West Midlands Police" is already in this partnership\'s directory.'
    assert links == [(f"Or add an agency to the directory: {told}", "#id_new_agency_name")]
    follow_each_link_by_keyboard(page, links)


def test_every_problem_with_a_new_person_links_to_its_field(new_page, demo):
    page = new_page()
    sign_in(page, "chair")
    page.goto(f"/reviews/{demo.pk}/people/new/")
    expect(page.get_by_text("Fields marked * are required.")).to_be_visible()
    page.get_by_role("button", name="Save").click()
    links = assert_page_starts_at_the_summary(page, "Add a person · BDHR2012/13-04")
    assert len(links) >= 2
    follow_each_link_by_keyboard(page, links)
    assert_accessible(page)
