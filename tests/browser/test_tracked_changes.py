"""Tracked changes in the section editor, in Chromium: a panel member suggests (an insertion, a
deletion, bold, a new paragraph) by keyboard; the chair accepts one and rejects another; the
panel PDF shows exactly the accepted text. Pasting and cutting while suggesting are tracked too.
A comment pinned to a passage selected by keyboard survives an edit before it; a reference cited
after typing lands at the caret, as a chip."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from reports import services
from reports.models import Comment, Section
from reviews.models import Review
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.keyboard import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "The first visit was in May. The second visit was missed."
SECOND = "Nobody asked the family what they knew."
EDITOR = "#editor .ProseMirror"


@pytest.fixture
def conclusions(demo: Review) -> Section:
    """The demo overview's Conclusions, written afresh as two short paragraphs by the chair."""
    section = Section.objects.get(document__review=demo, document__kind="overview", title="Conclusions")
    chair = User.objects.get(username="chair")
    return services.section_save(
        section_id=section.pk, body=f"<p>{FIRST}</p><p>{SECOND}</p>", base_version=section.version, actor=chair
    )


def _edit(page, section: Section) -> None:
    page.goto(f"/reviews/{section.document.review_id}/documents/{section.document_id}/sections/{section.pk}/edit/")
    page.locator(EDITOR).wait_for()


def _saved(page) -> None:
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at"), timeout=15_000)


def _anchored(section: Section, text: str) -> Comment:
    """The comment, once the text saved with its anchor is in the database (the editor saves it at
    once after posting the comment)."""
    comment = Comment.objects.get(section=section, text=text)
    for _ in range(100):
        section.refresh_from_db()
        if f'data-comment="{comment.anchor}"' in section.body:
            return comment
        time.sleep(0.1)
    raise AssertionError(f"the anchor of {text!r} was not saved: {section.body}")


def _right(page, times: int, *, shift: bool = False) -> None:
    for _ in range(times):
        page.keyboard.press("Shift+ArrowRight" if shift else "ArrowRight")


def _change(kind: str, author: int, text: str) -> re.Pattern:
    return re.compile(
        rf'<{kind} data-change="[A-Za-z0-9-]{{8,36}}" data-author="{author}" '
        rf'data-time="\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\dZ">{re.escape(text)}</{kind}>'
    )


def _pdf_words(section: Section, folder: Path) -> str:
    output = folder / "panel.pdf"
    call_command(
        "render_document", section.document.review.reference, "overview", "--format", "pdf", "--output", str(output)
    )
    text = subprocess.run(["pdftotext", str(output), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def test_a_panel_member_suggests_the_chair_decides_and_the_pdf_shows_the_accepted_text(
    new_page, conclusions: Section, tmp_path: Path
):
    panel = User.objects.get(username="panel")
    page = new_page()
    sign_in(page, "panel")
    _edit(page, conclusions)
    expect(page.get_by_role("heading", name=re.compile("^Suggesting changes"))).to_be_visible()
    tab_to(page, r"^Text of Conclusions$")

    # Bold on "first visit": a format change, the text not yet inside <strong>.
    page.keyboard.press("Control+Home")
    _right(page, len("The "))
    _right(page, len("first visit"), shift=True)
    page.keyboard.press("Control+b")
    # "missed" deleted: struck through, still there.
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    for _ in range(len("missed")):
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Backspace")
    expect(page.locator(f"{EDITOR} del")).to_have_text("missed")
    # Enter in the middle of a paragraph is refused (paragraphs are not split by a suggestion).
    page.keyboard.press("Enter")
    expect(page.locator("#save-status")).to_contain_text("Enter adds a paragraph only at the end")
    # Typed at the end: an insertion, one change however many keys.
    page.keyboard.press("End")
    page.keyboard.type(" A third visit followed.")
    # The second paragraph: an insertion left pending, and a new paragraph after it.
    page.keyboard.press("Control+End")
    page.keyboard.type(" Ask them.")
    page.keyboard.press("Enter")
    page.keyboard.type("A new paragraph.")
    # A suggestion of one's own can be taken back.
    page.keyboard.press("Control+Home")
    page.keyboard.type("Oops ")
    expect(page.locator("#changes-list > li")).to_have_count(6)
    page.locator("#changes-list > li", has_text="Oops").get_by_role("button", name=re.compile("^Withdraw")).click()
    expect(page.locator("#changes-list > li")).to_have_count(5)
    expect(page.locator(EDITOR)).not_to_contain_text("Oops")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "panel.png"), full_page=True)
    page.keyboard.press("Control+s")
    _saved(page)

    conclusions.refresh_from_db()
    body = conclusions.body
    assert _change("ins", panel.pk, " A third visit followed.").search(body), body
    assert _change("ins", panel.pk, " Ask them.").search(body), body
    assert _change("del", panel.pk, "missed").search(body), body
    by_panel = rf'data-change="([^"]+)" data-author="{panel.pk}" data-time="[^"]+"'
    assert re.search(rf'<span {by_panel} data-format="\+strong">first visit</span>', body), body
    new_paragraph = rf'<p {by_panel}><ins data-change="\1"[^>]*>A new paragraph\.</ins></p>'
    assert re.search(new_paragraph, body), body

    # The chair accepts the first insertion and rejects the deletion; the rest stays pending.
    chair = new_page()
    sign_in(chair, "chair")
    _edit(chair, conclusions)
    changes = chair.locator("#changes-list > li")
    expect(changes).to_have_count(5)
    expect(changes.first).to_contain_text("Priya Shah")
    expect(chair.locator("#changes-authors")).to_contain_text("Accept all by Priya Shah")
    assert_accessible(chair)
    chair.screenshot(path=str(tmp_path / "chair.png"), full_page=True)
    changes.filter(has_text="A third visit followed").get_by_role("button", name=re.compile("^Accept")).click()
    expect(chair.locator("#save-status")).to_contain_text("Accepted")
    changes.filter(has_text="deleted “missed”").get_by_role("button", name=re.compile("^Reject")).click()
    expect(changes).to_have_count(3)
    expect(chair.locator(f"{EDITOR} del")).to_have_count(0)
    _saved(chair)

    conclusions.refresh_from_db()
    body = conclusions.body
    assert "The second visit was missed. A third visit followed.</p>" in body, body
    assert "<del" not in body and _change("ins", panel.pk, " Ask them.").search(body)
    words = _pdf_words(conclusions, tmp_path)
    assert "The first visit was in May. The second visit was missed. A third visit followed." in words
    assert SECOND in words
    assert "Ask them" not in words and "A new paragraph" not in words


def test_a_comment_pinned_by_keyboard_survives_an_edit_before_it(new_page, conclusions: Section):
    page = new_page()
    sign_in(page, "chair")
    _edit(page, conclusions)
    tab_to(page, r"^Text of Conclusions$")
    passage = "Nobody asked the family"
    page.keyboard.press("Control+End")
    page.keyboard.press("Home")
    _right(page, len(passage), shift=True)
    page.keyboard.press("Control+Alt+m")
    expect(page.get_by_label("Your comment")).to_be_focused()
    page.keyboard.type("Who should have asked?")
    tab_to(page, r"^Post comment$")
    page.keyboard.press("Enter")
    expect(page.locator("#save-status")).to_have_text(f"Comment posted on “{passage}”.")

    comment = _anchored(conclusions, "Who should have asked?")
    assert comment.quote == passage
    assert f'<span data-comment="{comment.anchor}">{passage}</span>' in conclusions.body

    # Typing before the passage moves it; the comment stays on it. (A moment first: ProseMirror
    # reads a move to the very start within 200 ms of the text taking the focus as the browser
    # resetting the selection, and puts it back.)
    page.wait_for_timeout(300)
    page.keyboard.press("Control+Home")
    page.keyboard.type("Before all this. ")
    _saved(page)
    conclusions.refresh_from_db()
    assert conclusions.body.startswith("<p>Before all this. The first visit")
    assert f'<span data-comment="{comment.anchor}">{passage}</span>' in conclusions.body
    _edit(page, conclusions)
    expect(page.locator(f"{EDITOR} [data-comment='{comment.anchor}']")).to_have_text(passage)


def test_a_panel_member_pins_a_comment_while_suggesting(new_page, conclusions: Section):
    page = new_page()
    sign_in(page, "panel")
    _edit(page, conclusions)
    tab_to(page, r"^Text of Conclusions$")
    page.keyboard.press("Control+Home")
    _right(page, len("The first visit"), shift=True)
    page.keyboard.press("Control+Alt+m")
    page.keyboard.type("When exactly?")
    tab_to(page, r"^Post comment$")
    page.keyboard.press("Enter")
    expect(page.locator("#save-status")).to_have_text("Comment posted on “The first visit”.")
    # The anchor is not a change to the text: a panel member's save keeps it.
    comment = _anchored(conclusions, "When exactly?")
    assert conclusions.body.startswith(f'<p><span data-comment="{comment.anchor}">The first visit</span> was in May.')


def test_a_reference_cited_after_typing_lands_at_the_caret_as_a_chip(new_page, conclusions: Section):
    page = new_page()
    sign_in(page, "chair")
    _edit(page, conclusions)
    tab_to(page, r"^Text of Conclusions$")
    page.keyboard.press("Control+Home")
    page.keyboard.press("End")
    page.keyboard.type(" See ")  # typed, not clicked: the caret moved by typing alone

    page.get_by_label("Search").fill("police")
    result = page.locator("#reference-results button[data-cite]").first
    result.wait_for()
    cite = result.get_attribute("data-cite")
    label = result.get_attribute("data-label")
    result.click()
    page.keyboard.type(" for the detail.")  # back in the text, after the chip

    chip = page.locator(f"{EDITOR} .reference-chip[data-reference='{cite}']")
    expect(chip).to_have_count(1)
    assert label and label in chip.inner_text() and "[[" not in chip.inner_text()
    first = page.locator(f"{EDITOR} p").first
    assert re.search(
        r"was missed\. See <span class=\"reference-chip\"[^>]*>.*</span> for the detail\.$", first.inner_html()
    )
    _saved(page)
    conclusions.refresh_from_db()
    assert f"<p>{FIRST} See {cite} for the detail.</p>" in conclusions.body

    _edit(page, conclusions)  # opened again: the chip, with its label from the server
    expect(page.locator(f"{EDITOR} .reference-chip[data-reference='{cite}']")).to_contain_text(label)
    assert_accessible(page)


PASTE = """(html) => {
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", html.replace(/<[^>]+>/g, " "));
    const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
    document.querySelector("#editor .ProseMirror").dispatchEvent(event);
}"""


def test_pasted_and_cut_while_suggesting_are_tracked(new_page, conclusions: Section):
    panel = User.objects.get(username="panel")
    page = new_page()
    sign_in(page, "panel")
    _edit(page, conclusions)
    tab_to(page, r"^Text of Conclusions$")
    page.keyboard.press("Control+End")
    expect(page.locator("#save-status")).not_to_contain_text("Saving")
    page.wait_for_timeout(200)  # the editor has read where the caret went
    # Two paragraphs pasted at the end of one: the first joins it, the second is a new paragraph.
    page.evaluate(PASTE, "<p>Pasted <b>words</b>.</p><p>Pasted\tparagraph.</p>")
    editor = page.locator(EDITOR)
    expect(editor.locator("ins strong")).to_have_text("words")
    expect(editor.locator("p[data-change] ins")).to_have_text("Pasted paragraph.")
    # A cut leaves the words, struck through.
    page.keyboard.press("Control+Home")
    _right(page, len("The first"), shift=True)
    page.keyboard.press("Control+x")
    expect(editor.locator("del")).to_have_text("The first")
    page.keyboard.press("Control+s")
    _saved(page)

    conclusions.refresh_from_db()
    body = conclusions.body
    assert _change("del", panel.pk, "The first").search(body), body
    pasted = rf'<ins data-change="[^"]+" data-author="{panel.pk}"[^>]*>Pasted <strong>words</strong>\.</ins>'
    assert re.search(pasted, body), body
    assert re.search(r'<p data-change="[^"]+"[^>]*><ins [^>]*>Pasted paragraph\.</ins></p>$', body), body
