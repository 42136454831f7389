"""What an action did, told after the page is drawn again: the page starts at the message, so a
screen reader reads it first and the next Tab continues from there."""

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED_MESSAGES = "() => !!document.activeElement && document.activeElement.hasAttribute('data-page-messages')"


def test_the_page_after_a_saved_change_starts_at_its_message(new_page, demo):
    page = new_page()
    sign_in(page, "chair")
    page.goto(f"/reviews/{demo.pk}/people/new/")
    page.get_by_label("Real name").fill("Paul Marsh")
    page.get_by_label("Designation").fill("the victim's brother")
    page.get_by_label("Relationship").select_option("family_member")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("the victim's brother added to the person register.").wait_for()
    page.wait_for_function(FOCUSED_MESSAGES)
    assert "added to the person register" in page.evaluate("() => document.activeElement.textContent")
    assert_accessible(page)


def test_a_page_with_an_error_summary_starts_there_and_not_at_a_message(new_page, demo):
    page = new_page()
    sign_in(page, "chair")
    page.goto(f"/reviews/{demo.pk}/people/new/")
    page.get_by_role("button", name="Save").click()
    page.wait_for_function("() => document.activeElement.hasAttribute('data-error-summary')")
    assert not page.evaluate(FOCUSED_MESSAGES)


def test_a_page_reached_at_one_of_its_parts_still_starts_at_the_message(new_page, demo):
    """Render sends the chair back to the document's list of renders (…/#renders): the browser's
    move to that part of the page must not take the focus from the message."""
    from django.urls import reverse

    from reports.models import Document

    document = Document.objects.get(review=demo, kind=Document.Kind.OVERVIEW)
    page = new_page()
    sign_in(page, "chair")
    page.goto(reverse("reports:document", args=[demo.pk, document.pk]))
    page.get_by_label("PDF").check()
    page.get_by_role("button", name="Render", exact=True).press("Enter")
    page.wait_for_url("**#renders")
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # past the browser's own move to #renders
    assert page.evaluate(FOCUSED_MESSAGES), page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
