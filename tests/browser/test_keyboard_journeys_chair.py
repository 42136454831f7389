"""The chair's journey by keyboard alone: sign in, build the integrated chronology, confirm a
suggested link, edit a section of the overview report, render it and download the file, with
Tab, Shift+Tab, Enter and typing, never the mouse. Every control reached shows its focus, and
axe finds nothing serious on any page or state on the way."""

import re

import pytest

from chronology.models import IntegratedChronology, LinkDecision
from reports.models import Section
from tests.browser.conftest import assert_accessible
from tests.browser.keyboard import focus_is_on, follow, sign_in_by_keyboard, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERENCE = "BDHR2012/13-04"
WRITTEN = " The panel wrote this sentence by keyboard alone."


def test_the_chair_builds_confirms_a_link_edits_and_renders_by_keyboard_alone(new_page, demo):
    page = new_page()
    sign_in_by_keyboard(page, "chair")
    assert_accessible(page)

    follow(page, rf"^{re.escape(REFERENCE)}$", re.compile(r"The death of a woman|BDHR"))
    assert_accessible(page)
    follow(page, r"^Integrated chronology$", "Integrated chronology")
    assert_accessible(page)

    # Building runs in the request here (Celery eager): the page comes back with version 2.
    follow(page, r"^Build a new version$", "Integrated chronology")
    page.get_by_text("Version 2, built").wait_for()
    assert IntegratedChronology.objects.filter(review=demo, status="ready").count() == 2
    assert_accessible(page)

    follow(page, r"^Suggested links", re.compile("^Suggested links"))
    assert_accessible(page)
    tab_to(page, r"^Confirm\s+the link between entries")
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"(Possible duplicate|Date conflict) between entries \d+ and \d+ confirmed")).wait_for()
    assert LinkDecision.objects.filter(review=demo, status="confirmed").count() == 1
    assert_accessible(page)

    follow(page, r"^Documents$", "Documents")
    assert_accessible(page)
    follow(page, r"^Open the overview report$", re.compile("^Overview report"))
    assert_accessible(page)
    follow(page, r"^\d+\. Conclusions$", "Conclusions")
    assert_accessible(page)
    follow(page, r"^Edit the section$", "Editing: Conclusions")
    page.locator(".ProseMirror").wait_for()
    assert_accessible(page)
    tab_to(page, r"^Text of Conclusions$")
    page.keyboard.press("Control+End")
    page.keyboard.type(WRITTEN)
    # Tab leaves the text for Save (a tab character is never typed into the report).
    page.keyboard.press("Tab")
    focus_is_on(page, r"^Save$")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/sections/\d+/$"))
    conclusions = Section.objects.get(document__review=demo, document__kind="overview", title="Conclusions")
    assert WRITTEN.strip() in conclusions.body and "\t" not in conclusions.body
    assert_accessible(page)

    follow(page, r"^Overview report$", re.compile("^Overview report"))
    # PDF and the panel version are chosen already; rendering runs in the request here.
    tab_to(page, r"^Render$")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#renders$"))
    link = tab_to(page, r"^download BDHR2012-13-04-overview-panel-r\d+\.pdf")
    assert_accessible(page)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == link["text"].removeprefix("download ").split(" ")[0]
