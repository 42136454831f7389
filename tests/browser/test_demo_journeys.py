"""The demo as people use it, in Chromium, with axe-core on every page visited."""

import re

import pytest

from reviews.models import Imr, Review
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_is_accessible(new_page, live_server):
    page = new_page()
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)


def test_chair_finds_the_demo_review_its_agencies_and_register(new_page, demo):
    page = new_page()
    sign_in(page, "chair")
    assert_accessible(page)
    page.get_by_role("link", name="BDHR2012/13-04").click()
    page.get_by_role("heading", name="BDHR2012/13-04: The death of a woman").wait_for()
    imrs = page.get_by_role("table", name="Individual management reviews")
    assert imrs.get_by_role("row").count() == 1 + 9
    assert "Returned for clarification" in imrs.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Person register").click()
    page.get_by_role("heading", name="Person register").wait_for()
    assert "Susan Marsh" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Panel and members").click()
    assert_accessible(page)
    page.get_by_role("link", name="BDHR2012/13-04").click()
    page.get_by_role("link", name="Audit trail").click()
    page.get_by_text("Page 1 of").first.wait_for()
    # The register was loaded long before the drafting: the filter finds it.
    page.get_by_label("Action contains").fill("person.")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/audit/?*action=person.*")
    assert "person.added" in page.content()
    # Reading the register just now is in the trail too.
    page.get_by_label("Action contains").fill("")
    page.get_by_label("Kind").select_option("views")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**kind=views*")
    assert "person_register.viewed" in page.content()
    assert_accessible(page)


def test_chair_adds_a_person_and_a_bad_entry_is_explained(new_page, demo):
    page = new_page()
    sign_in(page, "chair")
    page.goto(f"/reviews/{demo.pk}/people/new/")
    page.get_by_label("Real name").fill("Paul Marsh")
    page.get_by_label("Designation").fill("the victim")
    page.get_by_label("Relationship").select_option("family_member")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Another person in this review is already designated").first.wait_for()
    assert_accessible(page)
    page.get_by_label("Designation").fill("the victim's brother")
    page.get_by_label("Aliases").fill("Paulie Marsh")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("the victim's brother added to the person register.").wait_for()
    assert demo.people.filter(real_name="Paul Marsh", aliases=["Paulie Marsh"]).exists()


def test_police_author_sees_only_their_own_imr(new_page, demo):
    page = new_page()
    sign_in(page, "police")
    page.get_by_role("link", name="BDHR2012/13-04").click()
    page.get_by_role("heading", name="Your agency's IMR").wait_for()
    body = page.inner_text("main")
    assert "West Midlands Police" in body
    assert "Children, Young People and Families" not in body
    assert "Person register" not in body
    assert_accessible(page)
    page.get_by_role("link", name="West Midlands Police").click()
    page.get_by_role("heading", name="IMR: West Midlands Police").wait_for()
    assert_accessible(page)
    social_care = Imr.objects.get(review=demo, agency__kind="childrens_social_care")
    response = page.goto(f"/reviews/{demo.pk}/imrs/{social_care.pk}/")
    assert response.status == 404
    assert "Page not found" in page.content()
    assert_accessible(page)


def test_board_admin_opens_a_review_with_the_keyboard(new_page, demo):
    page = new_page()
    sign_in(page, "boardadmin")
    page.get_by_role("link", name="Open a review").click()
    page.get_by_label(re.compile(r"^\s*Reference")).fill("BDHR2026/27-01")
    page.get_by_label(re.compile(r"^\s*Type")).select_option("dhr")
    page.get_by_label(re.compile(r"^\s*Case name")).fill("Adult D")
    page.get_by_label(re.compile(r"^\s*Review period start")).fill("2024-01-01")
    page.get_by_label(re.compile(r"^\s*Review period end")).fill("2025-06-30")
    page.get_by_label("Key lines of enquiry").fill("What did each agency know?\nWhat did it do?")
    assert_accessible(page)
    # From the last field, Tab reaches Save and Enter submits.
    page.get_by_label("Key lines of enquiry").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Save"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="BDHR2026/27-01: Adult D").wait_for()
    review = Review.objects.get(reference="BDHR2026/27-01")
    assert list(review.key_lines.values_list("text", flat=True)) == ["What did each agency know?", "What did it do?"]
