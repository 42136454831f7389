"""A conflict merge keeps both versions of the paragraphs two people changed, under a note for
the chair (reports.diff.CONFLICT_NOTE). While a section holds such a note the document and the
section pages say so, and the document is not approved or published, nor its publication
version rendered; the refusal names the sections. Deleting the note and one version lifts it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from reports import document_services, render_service, services
from reports.diff import CONFLICT_NOTE, conflict_markers, merge
from reports.models import Document, DocumentRender, Section
from tests.conftest import World

pytestmark = pytest.mark.django_db


NOTES = [
    CONFLICT_NOTE,
    "<p>[Both versions of the next paragraphs are kept: choose one and delete the other.]</p>",
    "<p><em>Both&nbsp;versions of the  next paragraphs\nare kept</em>: choose one</p>",
    "<p>Earlier text.[BOTH VERSIONS OF THE NEXT PARAGRAPHS ARE KEPT: choose one and delete the other.]</p>",
    "<h2>[Both versions of the next paragraphs are kept: choose one and delete the other.]</h2>",
    "<ul><li>A point</li><li>[Both versions of the next paragraphs are kept]</li></ul>",
    "<p><strong>Both</strong> <u>versions</u> of the <em>next</em> paragraphs are kept</p>",
]


@pytest.mark.parametrize("html", NOTES)
def test_the_note_is_found_whatever_formatting_was_left_around_it(html, world: World, section: Section):
    assert conflict_markers(f"<p>Before.</p>{html}<p>After.</p>") == 1
    services.section_save(section_id=section.pk, body=f"<p>Before.</p>{html}<p>After.</p>", base_version=1,
                          actor=world.chair)  # fmt: skip
    assert [noted.title for noted in document_services.sections_with_merge_notes(section.document)] == ["Introduction"]


def test_text_without_the_note_has_none():
    assert conflict_markers("<p>Both versions were read; the next paragraphs are kept short.</p>") == 0
    assert conflict_markers("") == 0


def _conflicted(section: Section, world: World) -> Section:
    """The panel member saves paragraph one; the chair, from the same version, changed it too
    and saves the merge the editor offers."""
    base = section.body
    theirs = "<p>One, theirs.</p><p>Two.</p><p>Three.</p>"
    services.section_save(section_id=section.pk, body=theirs, base_version=1, actor=world.panel)
    merged = merge(base, theirs, "<p>One, mine.</p><p>Two.</p><p>Three.</p>")
    assert merged.conflicts == 1
    return services.section_save(section_id=section.pk, body=merged.html, base_version=2, actor=world.chair)


def _resolved(section: Section, world: World) -> Section:
    return services.section_save(
        section_id=section.pk, body="<p>One, mine.</p><p>Two.</p><p>Three.</p>", base_version=section.version,
        actor=world.chair,
    )  # fmt: skip


def _move(document: Document, world: World, status: str) -> Document:
    return document_services.document_status_change(document=document, to_status=status, actor=world.chair)


def test_approval_is_refused_naming_the_section_until_the_note_is_deleted(world: World, section: Section):
    section = _conflicted(section, world)
    document = _move(section.document, world, "panel_review")
    with pytest.raises(ValidationError) as refused:
        _move(document, world, "approved")
    message = " ".join(refused.value.messages)
    assert "cannot be approved" in message and '"Introduction"' in message
    document.refresh_from_db()
    assert document.status == "panel_review" and not document.status_changes.filter(to_status="approved").exists()

    _move(document, world, "draft")
    _resolved(section, world)
    _move(document, world, "panel_review")
    assert _move(document, world, "approved").status == "approved"


def test_publication_is_refused_while_a_note_is_in_an_approved_document(world: World, section: Section):
    # Approved before approval checked for notes: the note is still found at publication.
    section = _conflicted(section, world)
    second = section.document.sections.get(position=2)
    services.section_save(section_id=second.pk, body=f"<p>A.</p>{CONFLICT_NOTE}<p>B.</p><p>C.</p>", base_version=0,
                          actor=world.chair)  # fmt: skip
    Document.objects.filter(pk=section.document_id).update(status="approved")
    with pytest.raises(ValidationError) as refused:
        _move(section.document, world, "published")
    message = " ".join(refused.value.messages)
    assert "cannot be published" in message and f'"Introduction"; "{second.title}"' in message
    assert Document.objects.get(pk=section.document_id).status == "approved"


def test_a_publication_render_is_refused_and_a_panel_render_is_not(world: World, section: Section, settings):
    section = _conflicted(section, world)
    with pytest.raises(ValidationError, match='cannot be rendered as a publication version: .*"Introduction"'):
        render_service.render_request(actor=world.chair, document=section.document, fmt="pdf", publication=True)
    assert not DocumentRender.objects.filter(publication=True).exists()


def test_the_document_and_section_pages_show_the_warning(client: Client, world: World, section: Section):
    section = _conflicted(section, world)
    client.force_login(world.chair)
    document_url = reverse("reports:document", args=[world.review.pk, section.document_id])
    section_url = reverse("reports:section", args=[world.review.pk, section.document_id, section.pk])
    page = client.get(document_url).content.decode()
    assert 'id="merge-notes"' in page and "Both versions of some paragraphs are still in one section" in page
    assert f'href="{section_url}">Introduction</a>: 1 place' in page
    page = client.get(section_url).content.decode()
    assert "Both versions of some paragraphs are still in this section" in page

    _resolved(section, world)
    assert 'id="merge-notes"' not in client.get(document_url).content.decode()
    assert 'id="merge-notes"' not in client.get(section_url).content.decode()


def test_the_render_button_says_why(client: Client, world: World, section: Section):
    section = _conflicted(section, world)
    client.force_login(world.chair)
    url = reverse("reports:render_request", args=[world.review.pk, section.document_id])
    page = client.post(url, {"format": "pdf", "version": "publication"}, follow=True).content.decode()
    assert "cannot be rendered as a publication version" in page and "&quot;Introduction&quot;" in page
