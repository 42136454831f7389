"""Two people edit the same section of the overview report in two browsers: the second save
is refused with both changes shown, nothing is lost, and the merge saves both."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from reports.models import Section
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def conclusions(live_server) -> Section:
    call_command("load_demo", verbosity=0)
    return Section.objects.get(
        document__review__reference="BDHR2012/13-04", document__kind="overview", title="Conclusions"
    )


def _edit(page, section: Section) -> None:
    page.goto(f"/reviews/{section.document.review_id}/documents/{section.document_id}/sections/{section.pk}/edit/")
    page.locator(".ProseMirror").wait_for()


def test_a_second_save_of_the_same_section_is_refused_with_a_diff_and_merges_without_loss(new_page, conclusions):
    chair, admin = new_page(), new_page()
    sign_in(chair, "chair")
    sign_in(admin, "boardadmin")
    _edit(chair, conclusions)
    _edit(admin, conclusions)
    assert_accessible(chair)

    chair.locator(".ProseMirror").click()
    chair.keyboard.press("Control+Home")
    chair.keyboard.type("First, the chair's words. ")
    chair.keyboard.press("Control+s")
    chair.get_by_text("Saved at").wait_for()

    admin.locator(".ProseMirror").click()
    admin.keyboard.press("Control+End")
    admin.keyboard.type(" The board's words.")
    admin.keyboard.press("Control+s")
    conflict = admin.get_by_role("alert").filter(has_text="saved this section while you were editing")
    conflict.wait_for()
    assert "First, the chair's words." in conflict.inner_text()  # their change, shown as a diff
    assert "The board's words." in conflict.inner_text()  # and mine
    conclusions.refresh_from_db()
    assert "First, the chair's words." in conclusions.body
    assert "The board's words." not in conclusions.body  # refused: nothing overwritten
    assert "The board's words." in admin.locator(".ProseMirror").inner_text()  # and nothing lost
    assert_accessible(admin)

    admin.get_by_role("button", name="Put the merged text in the editor").click()
    admin.keyboard.press("Control+s")
    admin.get_by_text("Saved at").wait_for()
    conclusions.refresh_from_db()
    assert "First, the chair's words." in conclusions.body and "The board's words." in conclusions.body
    assert conclusions.revisions.count() == conclusions.version


def test_the_panel_reads_comments_and_suggests_a_change(new_page, conclusions):
    page = new_page()
    sign_in(page, "panel")
    document = conclusions.document
    page.goto(f"/reviews/{document.review_id}/documents/{document.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="17. Conclusions").click()
    page.get_by_text("The family asked that the conclusion names").wait_for()
    assert_accessible(page)
    # A suggestion is made in the editor, as a tracked change for the chair.
    page.get_by_role("link", name="Suggest changes").click()
    page.locator(".ProseMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" A clearer ending.")
    page.keyboard.press("Control+s")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at"), timeout=15_000)
    conclusions.refresh_from_db()
    panel = User.objects.get(username="panel")
    suggested = rf'<ins data-change="[^"]+" data-author="{panel.pk}"[^>]*> A clearer ending\.</ins>'
    assert re.search(suggested, conclusions.body)
    page.goto(f"/reviews/{document.review_id}/documents/{document.pk}/preview/?version=publication")
    assert_accessible(page)
    assert "A clearer ending." not in page.locator("main").inner_text()  # pending: not in any version
