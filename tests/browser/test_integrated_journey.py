"""The chair works with the integrated chronology of the demo review in Chromium."""

import re

import pytest

from chronology.models import IntegratedChronology, LinkDecision
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_reads_filters_decides_a_link_rebuilds_and_exports(new_page, demo):
    assert IntegratedChronology.objects.get(review=demo).status == "ready"
    page = new_page()
    sign_in(page, "chair")
    page.goto(f"/reviews/{demo.pk}/")
    page.get_by_role("link", name="Integrated chronology").click()
    page.get_by_role("heading", name="Integrated chronology").wait_for()
    timeline = page.locator("figure.timeline-figure img")
    timeline.wait_for()
    # The picture is a resource of its own, drawn by the browser from its SVG.
    assert page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=timeline.element_handle())
    assert "No agency contact for" in page.inner_text("main")
    assert "Jade" not in page.inner_text("main")  # designations by default
    assert_accessible(page)

    page.get_by_label("Agency").select_option(label="West Midlands Police")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"agency=\d+"))
    assert page.get_by_text(re.compile(r"\d+ entries match the filters")).is_visible()

    page.get_by_role("link", name=re.compile(r"^Suggested links")).click()
    page.get_by_role("heading", name=re.compile("Suggested links")).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Confirm")).first.click()
    page.get_by_text(
        re.compile(r"Possible duplicate between entries \d+ and \d+ confirmed|Date conflict between")
    ).wait_for()
    assert LinkDecision.objects.filter(review=demo, status="confirmed").count() == 1

    page.get_by_role("link", name="Integrated chronology").click()
    page.get_by_role("button", name="Build a new version").click()
    page.get_by_text("Version 2, built").wait_for()
    assert_accessible(page)

    page.get_by_label("Format").select_option("json")
    page.get_by_role("button", name="Export").click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"download .*-v2-designations\.json")).click()
    assert download.value.suggested_filename.endswith("-v2-designations.json")
