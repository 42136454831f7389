"""The chair renders the demo overview report to PDF and Word from the document page, in Chromium."""

import re

import pytest
from django.urls import reverse

from reports.models import Document
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chair_renders_the_overview_report_and_downloads_it(new_page, demo):
    document = Document.objects.get(review=demo, kind=Document.Kind.OVERVIEW)
    page = new_page()
    sign_in(page, "chair")
    page.goto(reverse("reports:document", args=[demo.pk, document.pk]))
    assert_accessible(page)

    page.get_by_label("PDF").check()
    page.get_by_label(re.compile("^Panel version")).check()
    page.get_by_role("button", name="Render", exact=True).click()
    link = page.get_by_role("link", name=re.compile(r"download BDHR2012-13-04-overview-panel-r\d+\.pdf"))
    link.wait_for()
    assert_accessible(page)
    with page.expect_download() as download:
        link.click()
    assert re.fullmatch(r"BDHR2012-13-04-overview-panel-r\d+\.pdf", download.value.suggested_filename)

    page.get_by_label("Word (DOCX)").check()
    page.get_by_label(re.compile("^Publication version")).check()
    page.get_by_role("button", name="Render", exact=True).click()
    page.get_by_role("link", name=re.compile(r"download BDHR2012-13-04-overview-publication-r\d+\.docx")).wait_for()
    assert_accessible(page)
