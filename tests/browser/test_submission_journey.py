"""The submission page in Chromium: the demo chair reads the checklist and its evidence, marks an
item left to her, makes the DHR's submission pack and opens what is in it, and records the Home
Office panel's feedback. Every state of the page passes axe and fits 320 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import SubmissionPack
from tests.browser.conftest import assert_accessible, assert_reflows, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_chair_checks_makes_the_pack_and_records_the_outcome(new_page, demo, tmp_path):
    shots = _shots(tmp_path)
    chair = new_page()
    sign_in(chair, "chair")
    chair.goto(reverse("reports:submission", args=[demo.pk]))
    equality = chair.locator("#item-equality_diversity")
    expect(equality).to_contain_text("Overview report, 11. Equality and diversity:")
    expect(equality.locator(".badge")).to_have_text("Met")
    assert_accessible(chair)
    chair.screenshot(path=str(shots / "submission-1-checklist.png"), full_page=True)

    item = chair.locator("#item-chair_independence")
    item.get_by_text("Mark this item").click()
    item.get_by_label("Met", exact=True).check()
    item.get_by_label("Note").fill("Stated in the introduction.")
    item.get_by_role("button", name="Save").click()
    expect(chair.locator("#item-chair_independence .badge")).to_have_text("Met")

    chair.get_by_role("button", name="Make the submission pack").click()
    ready = chair.get_by_role("link", name="download BDHR2012-13-04-submission-pack-p")
    expect(ready).to_be_visible(timeout=120_000)
    assert SubmissionPack.objects.get(review=demo).status == SubmissionPack.Status.READY
    chair.get_by_text("What is in it").first.click()
    expect(chair.get_by_role("rowheader", name="BDHR2012-13-04-key-dates.csv")).to_be_visible()
    assert_accessible(chair)

    chair.get_by_role("combobox", name="Outcome").select_option("approved")
    chair.get_by_label("Date received").fill("2013-06-14")
    chair.get_by_role("textbox", name="The panel's feedback").fill("Approved: a clear and thorough review.")
    chair.get_by_role("button", name="Record feedback").click()
    expect(chair.get_by_text("Approved for publication, received 14 June 2013")).to_be_visible()
    assert_accessible(chair)
    chair.screenshot(path=str(shots / "submission-2-recorded.png"), full_page=True)
    assert_reflows(chair)
