"""Redaction in the section editor, in Chromium: a mark survives opening the editor, typing and
autosave; a passage selected and redacted by keyboard alone becomes "[Redacted]" in the
publication PDF and Word file and stays in the panel version; the Redact button toggles the
mark by mouse and says what it did."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import User
from reports import document_services, services
from reports.models import Document, Section
from reviews.models import AuditEntry, Review, ReviewMembership
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_keyboard_journey import FOCUSED, tab_to
from tests.factories import MembershipFactory, ReviewFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAMILY = "Involvement of family, friends, work colleagues and neighbours"
MEDICAL = "The family shared information about a private medical matter, which they asked the Review not to publish."
ADDRESS = "14 Acacia Avenue"
DIARY = "She kept a diary."
KEYBOARD_TEXT = f"{DIARY} She lived at {ADDRESS} until 2019, near the school."


@pytest.fixture
def family(demo: Review) -> Section:
    """The demo section whose fourth paragraph is redacted as a whole."""
    return Section.objects.get(document__review=demo, document__kind="overview", title=FAMILY)


@pytest.fixture
def plain_review(demo: Review) -> Section:
    """A review of its own (nothing in it a publication check would stop), chaired by the demo
    chair, whose introduction has one paragraph and no redaction."""
    chair = User.objects.get(username="chair")
    review = ReviewFactory(partnership=demo.partnership, reference="DHR-RED-01", case_name="Adult R")
    MembershipFactory(review=review, user=chair, role=ReviewMembership.Role.CHAIR)
    document = document_services.document_create(review=review, kind=Document.Kind.OVERVIEW, actor=chair)
    first = document.sections.get(position=1)
    return services.section_save(section_id=first.pk, body=f"<p>{KEYBOARD_TEXT}</p>", base_version=0, actor=chair)


def _edit(page, section: Section) -> None:
    page.goto(f"/reviews/{section.document.review_id}/documents/{section.document_id}/sections/{section.pk}/edit/")
    page.locator(".ProseMirror").wait_for()


def _saved(page) -> None:
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at"), timeout=15_000)


def _record_status(page) -> None:
    """Keep every text the save status shows: an autosave may replace a message before it is read."""
    page.evaluate(
        """() => {
            const status = document.getElementById("save-status");
            window.statusTexts = [status.textContent];
            new MutationObserver(() => window.statusTexts.push(status.textContent))
                .observe(status, {childList: true, characterData: true, subtree: true});
        }"""
    )


def _status_said(page, text: str) -> None:
    page.wait_for_function("(text) => window.statusTexts.some((said) => said.includes(text))", arg=text)


def _select_by_keyboard(page, text: str, passage: str) -> None:
    """From the start of the text, arrow keys to the passage, then Shift+arrows over it."""
    page.keyboard.press("Control+Home")
    for _ in range(text.index(passage)):
        page.keyboard.press("ArrowRight")
    for _ in range(len(passage)):
        page.keyboard.press("Shift+ArrowRight")


def _render(reference: str, fmt: str, folder: Path, *, publication: bool) -> Path:
    output = folder / f"{'publication' if publication else 'panel'}.{fmt}"
    flags = ["--publication"] if publication else []
    call_command("render_document", reference, "overview", "--format", fmt, "--output", str(output), *flags)
    return output


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _docx_texts(path: Path) -> tuple[str, str]:
    """(every XML part, raw, one after the other; the words of the body)."""
    with zipfile.ZipFile(path) as docx:
        parts = "".join(docx.read(name).decode() for name in docx.namelist() if name.endswith((".xml", ".rels")))
        body = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", docx.read("word/document.xml").decode()))
    return parts, body


def test_an_existing_redaction_survives_opening_the_editor_typing_and_autosave(new_page, family: Section):
    page = new_page()
    sign_in(page, "chair")
    _edit(page, family)
    expect(page.locator(".ProseMirror span.redaction")).to_have_text(MEDICAL)
    assert_accessible(page)

    page.locator(".ProseMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" The family read the report before it was published.")
    _saved(page)

    family.refresh_from_db()
    assert f'<p><span class="redaction">{MEDICAL}</span></p>' in family.body
    assert "The family read the report before it was published.</p>" in family.body
    document = family.document
    page.goto(f"/reviews/{document.review_id}/documents/{document.pk}/preview/?version=publication")
    published = page.locator("main").inner_text()
    assert "[Redacted]" in published and "private medical matter" not in published
    assert "The family read the report before it was published." in published
    page.goto(f"/reviews/{document.review_id}/documents/{document.pk}/preview/")
    assert MEDICAL in page.locator("main").inner_text()


def test_a_passage_redacted_by_keyboard_alone_is_removed_from_the_publication_pdf_and_docx(
    new_page, plain_review: Section, tmp_path: Path
):
    page = new_page()
    sign_in(page, "chair")
    _edit(page, plain_review)
    tab_to(page, r"^Text of Introduction$")
    _record_status(page)

    _select_by_keyboard(page, KEYBOARD_TEXT, ADDRESS)
    page.keyboard.press("Control+Shift+X")
    _status_said(page, f"Redacted “{ADDRESS}”")
    expect(page.get_by_role("button", name=re.compile("^Redact"))).to_have_attribute("aria-pressed", "true")

    # The Redact button is reached from the text by Shift+Tab and works with Enter.
    _select_by_keyboard(page, KEYBOARD_TEXT, DIARY)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["label"].startswith("Redact the selected passage") and "Ctrl+Shift+X" in focused["label"]
    page.keyboard.press("Enter")
    _status_said(page, f"Redacted “{DIARY}”")
    expect(page.locator(".ProseMirror span.redaction")).to_have_text([DIARY, ADDRESS])
    assert_accessible(page)
    page.keyboard.press("Control+s")
    _saved(page)

    plain_review.refresh_from_db()
    assert plain_review.body == (
        f'<p><span class="redaction">{DIARY}</span> She lived at <span class="redaction">{ADDRESS}</span>'
        " until 2019, near the school.</p>"
    )
    reference = plain_review.document.review.reference
    published = _pdf_text(_render(reference, "pdf", tmp_path, publication=True))
    assert published.count("[Redacted]") == 2 and "Acacia" not in published and "diary" not in published
    assert "until 2019, near the school." in " ".join(published.split())
    parts, words = _docx_texts(_render(reference, "docx", tmp_path, publication=True))
    assert "Acacia" not in parts and "diary" not in parts
    assert words.count("[Redacted]") == 2

    panel = " ".join(_pdf_text(_render(reference, "pdf", tmp_path, publication=False)).split())
    assert f"She lived at {ADDRESS} until 2019" in panel and DIARY in panel and "[Redacted]" not in panel
    _, panel_words = _docx_texts(_render(reference, "docx", tmp_path, publication=False))
    assert ADDRESS in panel_words and DIARY in panel_words and "[Redacted]" not in panel_words


def test_the_redact_button_toggles_the_mark_by_mouse_and_says_what_it_did(new_page, family: Section):
    page = new_page()
    sign_in(page, "chair")
    _edit(page, family)
    status = page.locator("#save-status")
    button = page.get_by_role("button", name=re.compile("^Redact"))

    page.locator(".ProseMirror span.redaction").click(click_count=3)
    expect(button).to_have_attribute("aria-pressed", "true")
    button.click()
    expect(status).to_contain_text("Redaction removed from “The family shared information about a private medical…”")
    expect(page.locator(".ProseMirror span.redaction")).to_have_count(0)
    expect(button).to_have_attribute("aria-pressed", "false")
    _saved(page)  # the editor says the mark was taken off on purpose, so the save is not refused
    family.refresh_from_db()
    assert f"<p>{MEDICAL}</p>" in family.body and "redaction" not in family.body
    assert AuditEntry.objects.filter(action="section.redaction_removed", object_id=str(family.pk)).count() == 1

    page.locator(".ProseMirror p", has_text=MEDICAL).click(click_count=3)
    button.click()
    expect(status).to_contain_text("Redacted “The family shared information about a private medical…”")
    expect(page.locator(".ProseMirror span.redaction")).to_have_text(MEDICAL)
    expect(button).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)
    _saved(page)
    family.refresh_from_db()
    assert f'<p><span class="redaction">{MEDICAL}</span></p>' in family.body


def test_a_mark_lost_outside_the_redact_button_is_refused_until_the_person_confirms(new_page, family: Section):
    """Deleted and put back as plain text, a passage is not saved until the box says so."""
    page = new_page()
    sign_in(page, "chair")
    _edit(page, family)
    page.locator(".ProseMirror span.redaction").click(click_count=3)
    page.keyboard.press("Delete")
    # The caret leaves the emptied paragraph and comes back: what is typed there no longer
    # carries the deleted passage's mark (typed at once, it would, as in a word processor).
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowRight")
    page.keyboard.insert_text(MEDICAL)  # as a paste of plain text would
    status = page.locator("#save-status")
    expect(status).to_contain_text("is redacted, and this change leaves it without the redaction mark", timeout=15_000)
    family.refresh_from_db()
    assert f'<span class="redaction">{MEDICAL}</span>' in family.body
    assert_accessible(page)

    page.get_by_label(re.compile("^I took the redaction off “The family shared information")).check()
    page.keyboard.press("Control+s")
    _saved(page)
    family.refresh_from_db()
    assert "redaction" not in family.body
