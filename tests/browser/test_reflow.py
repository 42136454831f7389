"""Reflow (WCAG 1.4.10): wide tables scroll inside their own named box, never the page; the header's
navigation collapses into a button; opened tools stay within the page."""

import pytest

from reviews.models import Imr
from tests.browser.conftest import assert_accessible, assert_reflows, sideways_scroll, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCROLL_BOXES = """() => [...document.querySelectorAll('.table-responsive')].map(box => ({
    role: box.getAttribute('role'),
    name: (document.getElementById(box.getAttribute('aria-labelledby')) || {}).textContent,
    captionInside: !!box.querySelector('caption#' + CSS.escape(box.getAttribute('aria-labelledby') || 'none')),
    scrolls: box.scrollWidth > box.clientWidth,
}))"""


def test_chronologies_scroll_inside_their_box_not_the_page_at_desktop_width(new_page, demo):
    """The integrated chronology scrolls in its box; an agency's own fits the window (its columns
    share the width, tests/browser/test_chronology_table_fit.py)."""
    imr = Imr.objects.get(review=demo, agency__kind="police")
    page = new_page()
    sign_in(page, "chair")
    for url, name, scrolls in (
        (f"/reviews/{demo.pk}/imrs/{imr.pk}/chronology/", "Chronology of West Midlands Police", False),
        (f"/reviews/{demo.pk}/integrated/", "Integrated chronology, version 1", True),
    ):
        page.goto(url)
        # The screen-reader-only text in the table stays in the table's box (it used to widen the page).
        assert sideways_scroll(page) == "", url
        boxes = page.evaluate(SCROLL_BOXES)
        assert len(boxes) == 1, url
        assert boxes[0]["scrolls"] == scrolls, url
        assert page.get_by_role("region", name=name).count() == 1, url
        assert_reflows(page)
        assert_accessible(page)


def test_every_table_box_is_a_region_named_by_its_caption(new_page, demo):
    page = new_page()
    sign_in(page, "boardadmin")
    for url in (f"/partnerships/{demo.partnership_id}/dashboard/", f"/reviews/{demo.pk}/action-plan/", "/"):
        page.goto(url)
        boxes = page.evaluate(SCROLL_BOXES)
        assert boxes, url
        for box in boxes:
            assert box["role"] == "region", (url, box)
            assert box["captionInside"] and box["name"].strip(), (url, box)


def test_the_header_navigation_collapses_into_a_button_at_320_px(new_page, demo):
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, "chair")
    menu = page.get_by_role("button", name="Show navigation")
    assert menu.is_visible()
    assert not page.get_by_role("link", name="My actions").is_visible()
    menu.click()
    page.get_by_role("link", name="My actions").wait_for()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert sideways_scroll(page) == ""


def test_a_sections_tools_opened_stay_within_the_page_at_320_px(new_page, demo):
    document = demo.documents.get(kind="overview")
    section = document.sections.order_by("position").first()
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, "chair")
    page.goto(f"/reviews/{demo.pk}/documents/{document.pk}/")
    page.get_by_text(f"More: {section.title}").click()
    page.get_by_label("New title").first.wait_for()
    assert sideways_scroll(page) == ""
    assert_accessible(page)
