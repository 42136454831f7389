"""The editor's data blocks, paragraph styles and nested lists, by keyboard: the chair inserts the
panel as a data block from the toolbar, it shows as a card, is saved as its token paragraph and
the preview shows the panel table; Tab nests a list item and Shift+Tab brings it back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reports.models import Section
from reviews.models import ReviewMembership
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import focus_is_on, shift_tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/blocks")


@pytest.fixture
def panel_section(live_server) -> Section:
    call_command("load_demo", verbosity=0)
    section = Section.objects.get(
        document__review__reference="BDHR2012/13-04", document__kind="overview", title="The review panel members"
    )
    Section.objects.filter(pk=section.pk).update(
        body="<p>The panel met six times.</p>"
        '<p data-style="finding">The panel found that risk was not shared.</p>'
        '<p data-style="learning-point">Share the risk assessment.</p>'
        "<ul><li>First</li><li>Second</li></ul><p>Last paragraph.</p>"
    )
    section.refresh_from_db()
    return section


def _edit(page, section: Section) -> None:
    page.goto(f"/reviews/{section.document.review_id}/documents/{section.document_id}/sections/{section.pk}/edit/")
    page.locator(".ProseMirror").wait_for()


def _saved(page, section: Section, wanted: str) -> str:
    page.keyboard.press("Control+s")
    for _ in range(50):
        page.wait_for_timeout(200)
        section.refresh_from_db()
        if wanted in section.body:
            return section.body
    raise AssertionError(f"{wanted!r} never saved; the text is {section.body!r}")


def test_the_chair_inserts_the_panel_by_keyboard_and_the_preview_shows_its_table(new_page, panel_section: Section):
    chair = ReviewMembership.objects.get(review=panel_section.document.review, role="chair").user
    page = new_page()
    sign_in(page, "chair")
    _edit(page, panel_section)
    editor = page.locator(".ProseMirror")
    expect(editor.locator('p[data-style="finding"]')).to_have_text("The panel found that risk was not shared.")
    editor.focus()
    page.keyboard.press("Control+End")  # in "Last paragraph."
    shift_tab_to(page, r"^Insert data block")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Insert a data block")
    expect(dialog).to_be_visible()
    focus_is_on(page, r"^Data block$")
    page.keyboard.press("ArrowDown")  # from the terms of reference past the key lines to the panel
    page.keyboard.press("ArrowDown")
    expect(dialog.get_by_label("Data block")).to_have_value("[[data:panel]]")
    page.keyboard.press("Tab")
    focus_is_on(page, r"^Insert the data block$")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    card = editor.locator(".data-block-card")
    expect(card).to_have_text("Data block: Panel members — rendered from the review")
    assert page.evaluate("() => document.activeElement && document.activeElement.classList.contains('ProseMirror')")
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "editor-blocks.png"), full_page=True)

    body = _saved(page, panel_section, "<p>[[data:panel]]</p>")
    assert body.endswith("<p>Last paragraph.</p><p>[[data:panel]]</p>")
    assert '<p data-style="finding">The panel found that risk was not shared.</p>' in body

    page.goto(f"/reviews/{panel_section.document.review_id}/documents/{panel_section.document_id}/preview/")
    table = page.locator("table", has=page.locator("th", has_text="Role")).first
    expect(table.locator("th").first).to_have_text("Name")
    expect(table).to_contain_text(chair.display_name)
    expect(page.locator("body")).not_to_contain_text("[[data:panel]]")


def test_tab_nests_a_list_item_and_shift_tab_brings_it_back(new_page, panel_section: Section):
    page = new_page()
    sign_in(page, "chair")
    _edit(page, panel_section)
    editor = page.locator(".ProseMirror")
    editor.locator("li", has_text="Second").click()
    page.keyboard.press("End")
    page.keyboard.press("Tab")
    expect(editor.locator("ul > li > ul > li")).to_have_text("Second")
    assert page.evaluate("() => document.activeElement.classList.contains('ProseMirror')")  # Tab stayed in the text
    body = _saved(page, panel_section, "<ul><li>Second</li></ul></li>")
    assert "<ul><li><p>First</p><ul><li>Second</li></ul></li></ul>" in body
    page.keyboard.press("Shift+Tab")
    expect(editor.locator("ul > li > ul")).to_have_count(0)
    body = _saved(page, panel_section, "<ul><li>First</li><li>Second</li></ul>")
    # Outside a list Tab still leaves the text for the next control.
    editor.locator("p", has_text="Last paragraph.").click()
    page.keyboard.press("Tab")
    assert not page.evaluate("() => document.activeElement.classList.contains('ProseMirror')")
    assert re.search(r"<p>Last paragraph\.</p>", body)


def test_a_paragraph_becomes_a_finding_from_the_toolbar_and_back(new_page, panel_section: Section):
    page = new_page()
    sign_in(page, "chair")
    _edit(page, panel_section)
    editor = page.locator(".ProseMirror")
    editor.locator("p", has_text="Last paragraph.").click()
    finding = page.get_by_role("button", name="Finding: a boxed paragraph")
    finding.click()
    expect(finding).to_have_attribute("aria-pressed", "true")
    expect(editor.locator('p[data-style="finding"]', has_text="Last paragraph.")).to_have_count(1)
    _saved(page, panel_section, '<p data-style="finding">Last paragraph.</p>')
    page.get_by_role("button", name="Learning point: a boxed paragraph").click()
    _saved(page, panel_section, '<p data-style="learning-point">Last paragraph.</p>')
    page.get_by_role("button", name="Learning point: a boxed paragraph").click()  # pressed again: plain
    _saved(page, panel_section, "<p>Last paragraph.</p>")


def test_a_panel_member_sees_the_card_and_cannot_take_it_out(new_page, panel_section: Section):
    Section.objects.filter(pk=panel_section.pk).update(body="<p>The panel met.</p><p>[[data:panel]]</p><p>After.</p>")
    panel_section.refresh_from_db()
    page = new_page()
    sign_in(page, "panel")
    _edit(page, panel_section)
    expect(page.locator("[data-command=data_block]")).to_have_count(0)  # panel members suggest; blocks are the chair's
    card = page.locator(".ProseMirror .data-block-card")
    expect(card).to_have_text("Data block: Panel members — rendered from the review")
    card.click()
    expect(card).to_have_class(re.compile("ProseMirror-selectednode"))
    page.keyboard.press("Backspace")
    page.keyboard.type("x")
    expect(card).to_have_count(1)
    expect(page.locator("#save-status")).to_contain_text("A data block cannot be changed by a suggestion")
    page.wait_for_timeout(1500)
    panel_section.refresh_from_db()
    assert panel_section.body == "<p>The panel met.</p><p>[[data:panel]]</p><p>After.</p>"  # nothing suggested
