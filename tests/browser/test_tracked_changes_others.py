"""A panel member suggesting inside someone else's pending suggestion, in Chromium: typing in the
chair's insertion, deleting a word of it and making a word of it bold are all saved, as the panel
member's own changes, and the chair's insertion keeps its words (a save changing them is refused,
tests/reports/test_tracked_changes_attacks.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from reports import services
from reports.models import Section
from reviews.models import Review
from tests.browser.conftest import sign_in
from tests.browser.keyboard import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR = "#editor .ProseMirror"
BEFORE = "The first visit was in May"
CHAIRS = " after a call"


@pytest.fixture
def conclusions(demo: Review) -> Section:
    section = Section.objects.get(document__review=demo, document__kind="overview", title="Conclusions")
    chair = User.objects.get(username="chair")
    change = f'data-change="chair-change-1" data-author="{chair.pk}" data-time="2026-12-03T20:45:00Z"'
    return services.section_save(
        section_id=section.pk, body=f"<p>{BEFORE}<ins {change}>{CHAIRS}</ins>. Nobody asked.</p>",
        base_version=section.version, actor=chair,
    )  # fmt: skip


def test_a_panel_member_suggests_inside_the_chairs_pending_insertion(new_page, conclusions: Section):
    panel = User.objects.get(username="panel")
    page = new_page()
    sign_in(page, "panel")
    page.goto(
        f"/reviews/{conclusions.document.review_id}/documents/{conclusions.document_id}/sections/{conclusions.pk}/edit/"
    )
    page.locator(EDITOR).wait_for()
    tab_to(page, r"^Text of Conclusions$")
    page.keyboard.press("Control+Home")
    for _ in range(len(BEFORE + " after a")):
        page.keyboard.press("ArrowRight")
    page.keyboard.type(" phone")  # inside the chair's insertion: the panel member's own
    page.keyboard.press("ArrowRight")  # past the space before "call"
    for _ in range(len("call")):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Backspace")  # "call" struck through, still the chair's words
    page.keyboard.press("Control+Home")
    for _ in range(len(BEFORE + " ")):
        page.keyboard.press("ArrowRight")
    for _ in range(len("after")):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Control+b")
    page.keyboard.press("Control+s")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at"), timeout=15_000)

    opened = conclusions.version
    conclusions.refresh_from_db()
    body = conclusions.body
    assert conclusions.version > opened and conclusions.updated_by == panel
    assert re.search(rf'<ins data-change="[^"]+" data-author="{panel.pk}"[^>]*> phone</ins>', body), body
    assert re.search(rf'<del data-change="[^"]+" data-author="{panel.pk}"[^>]*>', body), body
    assert 'data-format="+strong"' in body and "chair-change-1" in body, body
