"""The family involvement log in Chromium: the demo chair records a contact (what was said written
in the editor) and an offer the family declined, and reads them back; the log and its forms pass
axe and fit 320 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reviews.family_models import FamilyContact, FamilyOffer
from tests.browser.conftest import assert_accessible, assert_reflows, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_chair_records_a_contact_and_an_offer(new_page, demo, tmp_path):
    shots = _shots(tmp_path)
    chair = new_page()
    sign_in(chair, "chair")
    chair.goto(reverse("reviews:family_log", args=[demo.pk]))
    expect(chair.get_by_role("heading", name="Family involvement", level=1)).to_be_visible()
    assert_accessible(chair)
    chair.screenshot(path=str(shots / "family-1-log.png"), full_page=True)
    assert_reflows(chair)

    chair.get_by_role("link", name="Record a contact").click()
    chair.get_by_role("heading", name="Record a contact").wait_for()
    chair.get_by_label("Who").select_option(label="the victim's aunt (Karen Doyle)")
    chair.get_by_label("Date of contact").fill("2013-03-04")
    chair.get_by_label("Method").select_option("phone")
    chair.get_by_label("Contact made by").select_option(label="Alex Morgan")
    chair.get_by_label("Advocate's organisation").fill("AAFDA")
    chair.get_by_label("Agrees to be quoted").check()
    editor = chair.locator(".family-editor .ProseMirror")
    editor.click()
    chair.keyboard.type("The hotel visit frightened the whole family.")
    chair.get_by_label("What the review did with it").fill("Put to the housing IMR author.")
    assert_accessible(chair)
    chair.screenshot(path=str(shots / "family-2-contact-form.png"), full_page=True)
    assert_reflows(chair)
    chair.get_by_role("button", name="Save").click()
    chair.get_by_text("Contact with the victim's aunt recorded.").wait_for()
    expect(chair.get_by_role("heading", name="4 March 2013: telephone with the victim's aunt")).to_be_visible()
    expect(chair.get_by_text("The hotel visit frightened the whole family.")).to_be_visible()
    contact = FamilyContact.objects.get(review=demo, contact_date="2013-03-04")
    assert contact.what_they_said == "<p>The hotel visit frightened the whole family.</p>"
    assert contact.consent_to_be_quoted and not contact.consent_to_be_named

    chair.get_by_role("link", name="Record an offer").click()
    chair.get_by_role("heading", name="Record an offer").wait_for()
    chair.get_by_label("Offered to").select_option(label="the victim's aunt (Karen Doyle)")
    chair.locator("#id_kind").select_option("pen_portrait")
    chair.get_by_label("Offer made on").fill("2013-03-04")
    chair.locator("#id_response").select_option("declined")
    chair.get_by_label("Date of the response").fill("2013-03-18")
    assert_accessible(chair)
    chair.get_by_role("button", name="Save").click()
    chair.get_by_text("Offer to the victim's aunt recorded.").wait_for()
    expect(chair.get_by_text("Declined on 18 March 2013.")).to_be_visible()
    assert FamilyOffer.objects.filter(review=demo, kind="pen_portrait", response="declined").exists()
    assert_accessible(chair)
    chair.screenshot(path=str(shots / "family-3-recorded.png"), full_page=True)
    assert_reflows(chair)
    chair.set_viewport_size({"width": 320, "height": 900})
    chair.screenshot(path=str(shots / "family-4-recorded-320.png"), full_page=False)
