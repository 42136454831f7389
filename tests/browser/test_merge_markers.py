"""Two editors change the same paragraph of the demo overview at once: the board administrator
saves first, the chair's save is refused with a merge keeping both versions under a note, and
the chair saves it. The document and section pages warn; moving the document to Approved or
Published, and rendering its publication version, are refused naming the section, until the
chair deletes the note and one version. Then the document is approved and published.

The saves go through the editor's own save endpoint (its autosave's JSON conversation), so the
test does not depend on the editor's inner page structure."""

import re

import pytest
from django.urls import reverse

from reports.diff import CONFLICT_SENTENCE
from reports.models import Document
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _save(page, url: str, body: str, base_version: int):
    """A save as the editor's autosave sends it, with the page's CSRF token and session."""
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    return page.request.post(
        url,
        form={"body": body, "base_version": str(base_version), "autosave": "1", "csrfmiddlewaretoken": token},
        headers={"Accept": "application/json", "Referer": page.url},
    )


def _move(page, label: str) -> str:
    page.get_by_role("button", name=label).click()
    page.wait_for_load_state()
    return page.locator("main").inner_text()


def test_a_conflict_merge_blocks_approval_and_publication_until_the_note_is_deleted(new_page, demo, tmp_path):
    document = Document.objects.get(review=demo, kind=Document.Kind.OVERVIEW)
    section = document.sections.exclude(body="").order_by("position").first()
    edit_url = reverse("reports:section_edit", args=[demo.pk, document.pk, section.pk])
    document_url = reverse("reports:document", args=[demo.pk, document.pk])
    base = section.version
    chair, admin = new_page(), new_page()
    sign_in(chair, "chair")
    sign_in(admin, "boardadmin")
    chair.goto(edit_url)
    admin.goto(edit_url)

    # The same first paragraph changed by both, from the same version.
    theirs = "<p>The administrator's wording of the first paragraph.</p>" + section.body
    mine = "<p>The chair's wording of the first paragraph.</p>" + section.body
    assert _save(admin, edit_url, theirs, base).ok
    refused = _save(chair, edit_url, mine, base)
    assert refused.status == 409
    merged = refused.json()
    assert CONFLICT_SENTENCE in merged["merged"]
    assert _save(chair, edit_url, merged["merged"], merged["version"]).ok

    chair.goto(document_url)
    warning = chair.locator("#merge-notes")
    assert "Both versions of some paragraphs are still in one section" in warning.inner_text()
    assert_accessible(chair)
    chair.screenshot(path=str(tmp_path / "document-warning.png"), full_page=True)
    warning.get_by_role("link", name=section.title).click()
    assert "Both versions of some paragraphs are still in this section" in chair.locator("#merge-notes").inner_text()
    assert_accessible(chair)

    chair.goto(document_url)
    _move(chair, "Move to panel review")
    text = _move(chair, "Move to approved")
    assert "cannot be approved" in text and f'"{section.title}"' in text
    assert Document.objects.get(pk=document.pk).status == "panel_review"

    chair.get_by_label("PDF").check()
    chair.get_by_label(re.compile("^Publication version")).check()
    chair.get_by_role("button", name="Render", exact=True).click()
    chair.wait_for_load_state()
    text = chair.locator("main").inner_text()
    assert "cannot be rendered as a publication version" in text and f'"{section.title}"' in text
    assert not document.renders.filter(publication=True).exists()

    # The chair keeps their own wording: the note and the administrator's paragraph deleted.
    section.refresh_from_db()
    assert _save(chair, edit_url, mine, section.version).ok
    chair.goto(document_url)
    assert chair.locator("#merge-notes").count() == 0
    _move(chair, "Move to approved")
    assert Document.objects.get(pk=document.pk).status == "approved"
    assert "Making the publication files" in _move(chair, "Move to published")  # made first, then published
    _move(chair, "Move to published")
    assert Document.objects.get(pk=document.pk).status == "published"
