"""The section editor by keyboard alone: Tab and Shift+Tab leave the text (never typing a tab
into the report), Save is reached by Tab, the link box has a name and closes with Escape, the
reference search announces only how many it found, and a comment is pinned to a passage
selected with Shift and the arrow keys, in the editor and on the reading page."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reports.models import Comment, Section
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_keyboard_journey import FOCUSED, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSAGE = "In the light of the information available to this Review"
IN_EDITOR = "() => document.activeElement && document.activeElement.classList.contains('ProseMirror')"


@pytest.fixture
def conclusions(live_server) -> Section:
    call_command("load_demo", verbosity=0)
    return Section.objects.get(
        document__review__reference="BDHR2012/13-04", document__kind="overview", title="Conclusions"
    )


@pytest.fixture
def tabbed(conclusions: Section) -> Section:
    """Conclusions with a tab character stored in it, as the editor used to write them (saving now
    turns one into a space, so it is written straight to the row)."""
    body = conclusions.body.replace("In the light of", "In\tthe light of", 1)
    Section.objects.filter(pk=conclusions.pk).update(body=body)
    conclusions.refresh_from_db()
    return conclusions


def _edit(page, section: Section) -> None:
    page.goto(f"/reviews/{section.document.review_id}/documents/{section.document_id}/sections/{section.pk}/edit/")
    page.locator(".ProseMirror").wait_for()


def _select_first_words(page, words: str) -> None:
    """From the start of the text, Shift+ArrowRight over ``words``."""
    page.keyboard.press("Control+Home")
    for _ in range(len(words)):
        page.keyboard.press("Shift+ArrowRight")


def test_tab_and_shift_tab_leave_the_editor_save_is_reached_and_no_tab_is_saved(new_page, tabbed: Section):
    assert "\t" in tabbed.body
    page = new_page()
    sign_in(page, "chair")
    _edit(page, tabbed)
    assert "\t" not in page.locator(".ProseMirror").inner_text()  # a stored tab is a space in the editor

    editor = tab_to(page, r"^Text of Conclusions$")  # the text is named by its section's title
    assert editor["tag"] == "div"
    page.keyboard.press("Control+End")
    page.keyboard.type(" Written by keyboard.")
    page.keyboard.insert_text(" Pasted\twith a tab.")  # as a paste of plain text would
    expect(page.locator(".ProseMirror")).to_contain_text("Pasted with a tab.")  # a space at once
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Save"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(IN_EDITOR)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["label"] == "Clear formatting"  # the toolbar's last button
    page.keyboard.press("Tab")
    assert page.evaluate(IN_EDITOR)
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["text"] == "Save"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/sections/\d+/$"))

    tabbed.refresh_from_db()
    assert "Written by keyboard. Pasted with a tab." in tabbed.body
    assert "\t" not in tabbed.body and "In the light of" in tabbed.body


def test_the_link_box_has_a_name_and_escape_closes_it_back_to_the_text(new_page, conclusions: Section):
    page = new_page()
    sign_in(page, "chair")
    _edit(page, conclusions)
    tab_to(page, r"^Text of Conclusions$")
    _select_first_words(page, "In the light")
    page.keyboard.press("Control+k")
    address = page.get_by_role("textbox", name="Enter link address")
    expect(address).to_be_focused()
    assert_accessible(page)

    page.keyboard.press("Escape")
    expect(address).to_be_hidden()
    assert page.evaluate(IN_EDITOR)

    page.keyboard.press("Control+k")
    expect(address).to_be_focused()
    page.keyboard.type("https://www.gov.uk/")
    page.keyboard.press("Enter")
    expect(page.locator(".ProseMirror a[href='https://www.gov.uk/']")).to_have_text("In the light")
    assert page.evaluate(IN_EDITOR)


def test_the_reference_search_announces_a_count_and_its_results_cite_by_keyboard(new_page, conclusions: Section):
    page = new_page()
    sign_in(page, "chair")
    _edit(page, conclusions)
    results = page.locator("#reference-results")
    results.locator("button").first.wait_for()
    count = page.get_by_role("status").filter(has_text=re.compile("references? found"))
    # The list is not read out again after each pause in typing: only the count is.
    assert results.evaluate("el => el.closest('[aria-live], [role=status], [role=log], [role=alert]')") is None

    tab_to(page, r"^Search$")
    page.keyboard.type("police")
    expect(count).to_have_text(re.compile(r"^\d+ references? found$"))
    shown = results.locator("button").count()
    assert shown and count.inner_text() == f"{shown} reference{'s' if shown != 1 else ''} found"
    page.keyboard.press("Tab")
    cite = page.evaluate("() => document.activeElement.dataset.cite")
    assert cite and cite.startswith("[[")
    page.keyboard.press("Enter")
    assert page.evaluate(IN_EDITOR)  # back in the text, after the citation
    # A chip with the reference's label, stored as its token.
    chip = page.locator(f".ProseMirror .reference-chip[data-reference='{cite}']")
    expect(chip).to_have_count(1)
    assert not chip.inner_text().startswith("[[")

    page.get_by_label("Search").fill("no such thing at all")
    expect(page.get_by_role("status").filter(has_text="No references found")).to_be_attached()


def test_a_comment_is_pinned_to_a_passage_selected_by_keyboard_alone(new_page, conclusions: Section):
    page = new_page()
    sign_in(page, "chair")
    _edit(page, conclusions)
    tab_to(page, r"^Text of Conclusions$")
    _select_first_words(page, PASSAGE)
    page.keyboard.press("Control+Alt+m")

    text = page.get_by_label("Your comment")
    expect(text).to_be_focused()
    expect(page.locator("#comment-quote-shown")).to_have_text(f"“{PASSAGE}”")
    assert_accessible(page)
    page.keyboard.type("Which agencies, and when?")
    focused = tab_to(page, r"^Post comment$")
    assert focused["tag"] == "button"
    page.keyboard.press("Enter")
    expect(page.locator("#save-status")).to_have_text(f"Comment posted on “{PASSAGE}”.")
    assert page.evaluate(IN_EDITOR)  # back in the text, the passage still selected
    assert page.evaluate("() => document.getSelection().toString()") == PASSAGE

    comment = Comment.objects.get(section=conclusions, text="Which agencies, and when?")
    assert comment.quote == PASSAGE and comment.author.username == "chair"

    # The toolbar's button does the same, and Escape puts the comment away.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["label"].startswith("Comment on the selected passage")
    page.keyboard.press("Enter")
    expect(text).to_be_focused()
    page.keyboard.press("Escape")
    expect(text).to_be_hidden()
    assert page.evaluate(IN_EDITOR)


def test_a_comment_needs_a_selected_passage_first(new_page, conclusions: Section):
    page = new_page()
    sign_in(page, "chair")
    _edit(page, conclusions)
    tab_to(page, r"^Text of Conclusions$")
    page.keyboard.press("Control+Alt+m")
    expect(page.locator("#save-status")).to_contain_text("Select the passage first")
    assert page.evaluate(IN_EDITOR)
    expect(page.get_by_label("Your comment")).to_be_hidden()


def test_on_the_reading_page_a_comment_is_pinned_to_a_passage_by_keyboard_alone(new_page, conclusions: Section):
    page = new_page()
    sign_in(page, "panel")
    document = conclusions.document
    page.goto(f"/reviews/{document.review_id}/documents/{document.pk}/sections/{conclusions.pk}/")
    tab_to(page, r"^On a paragraph")
    page.keyboard.press("ArrowDown")  # the first paragraph
    passage = page.get_by_label(re.compile("^Select the passage in it"))
    expect(passage).to_be_visible()
    page.keyboard.press("Tab")
    expect(passage).to_be_focused()
    _select_first_words(page, PASSAGE)
    expect(page.locator("#comment-quote-shown")).to_contain_text(f"On the passage: “{PASSAGE}”")
    assert_accessible(page)
    tab_to(page, r"^New comment$")
    page.keyboard.type("From the reading page.")
    tab_to(page, r"^Post comment$")
    page.keyboard.press("Enter")
    page.get_by_text("Comment posted.").wait_for()

    comment = Comment.objects.get(section=conclusions, text="From the reading page.")
    assert comment.quote == PASSAGE and comment.author.username == "panel"
