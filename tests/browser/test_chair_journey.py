"""The chair's journey: build a new version of the integrated chronology, draft a section of
the overview report in the editor, and render the report to PDF, axe-clean on every page."""

import re

import pytest

from reports.models import Section
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_builds_the_chronology_drafts_a_section_and_renders_the_report(new_page, demo):
    page = new_page()
    sign_in(page, "chair")
    page.get_by_role("link", name="BDHR2012/13-04").click()
    page.get_by_role("link", name="Integrated chronology").click()
    assert_accessible(page)
    page.get_by_role("button", name="Build a new version").click()
    page.get_by_text(re.compile(r"Version 2 is ready|Version 2, built")).first.wait_for(timeout=60_000)
    assert demo.integrated_chronologies.filter(version=2, status="ready").exists()
    page.goto(f"/reviews/{demo.pk}/integrated/")
    page.get_by_text(re.compile(r"Version 2, built")).wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Documents").click()
    page.get_by_role("link", name="Open the overview report").click()
    page.get_by_role("link", name="5. Methods").click()
    page.get_by_role("link", name="Edit the section").click()
    editor = page.locator(".ProseMirror")
    editor.wait_for()
    editor.click()
    page.keyboard.type("The Review used the integrated chronology, the IMRs and meetings with the family.")
    page.keyboard.press("Control+s")
    page.get_by_text("Saved at").wait_for()
    methods = Section.objects.get(document__review=demo, document__kind="overview", title="Methods")
    assert "The Review used the integrated chronology, the IMRs and meetings with the family." in methods.body
    assert_accessible(page)

    page.get_by_role("link", name="Overview report").click()
    page.get_by_label("PDF").check()
    page.get_by_label(re.compile("^Panel version")).check()
    page.get_by_role("button", name="Render", exact=True).click()
    link = page.get_by_role("link", name=re.compile(r"download BDHR2012-13-04-overview-panel-r\d+\.pdf"))
    link.wait_for(timeout=120_000)
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert re.fullmatch(r"BDHR2012-13-04-overview-panel-r\d+\.pdf", download.value.suggested_filename)
