"""Importing a Word file from the document page: the chair's upload, the changes shown before
anything is replaced, the confirmation, and who may do it."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from reports.docx_import_service import MAX_UPLOAD_BYTES
from reports.models import Document, PendingImport, Section
from reviews.models import AuditEntry
from tests.conftest import World
from tests.reports.docx_import_files import new_document, saved, zip_of
from tests.reports.render_fixtures import make_document

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _word(*sections: tuple[str, str]) -> bytes:
    word = new_document()
    for title, text in sections:
        word.add_heading(title, level=1)
        word.add_paragraph(text)
    return saved(word)


def _upload(client: Client, document: Document, data: bytes, name: str = "draft.docx"):
    url = reverse("reports:document_import", args=[document.review_id, document.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type=DOCX)})


def test_the_chair_uploads_sees_the_changes_confirms_and_the_history_has_the_new_version(client: Client, world: World):
    document = make_document(world)
    client.force_login(world.chair)
    page = client.get(reverse("reports:document", args=[world.review.pk, document.pk]))
    assert b"Import from Word" in page.content
    response = _upload(client, document, _word(("2. Background", "Rewritten in Word."), ("Lessons", "New text.")))
    pending = PendingImport.objects.get(document=document, created_by=world.chair)
    assert response.url == reverse("reports:document_import_preview", args=[world.review.pk, document.pk, pending.pk])
    preview = client.get(response.url).content.decode()
    assert "Background" in preview and "Rewritten" in preview and 'class="diff-removed"' in preview
    assert "New section" in preview and "Replace 2 sections with the file" in preview
    assert "Introduction" in preview  # not in the file: left as it is
    assert Section.objects.get(document=document, title="Background").version == 1  # nothing yet
    confirm = reverse("reports:document_import_confirm", args=[world.review.pk, document.pk, pending.pk])
    response = client.post(confirm)
    assert response.url == reverse("reports:document", args=[world.review.pk, document.pk])
    background = Section.objects.get(document=document, title="Background")
    assert background.body == "<p>Rewritten in Word.</p>" and background.version == 2
    history = client.get(reverse("reports:section_history", args=[world.review.pk, document.pk, background.pk]))
    assert b"Imported from Word (draft.docx)" in history.content
    assert not PendingImport.objects.filter(pk=pending.pk).exists()
    actions = set(AuditEntry.objects.filter(review=world.review).values_list("action", flat=True))
    assert {"document.import_read", "document.imported", "section.saved", "section.added"} <= actions


def test_bad_files_are_refused_on_the_page_saying_what_is_wrong(client: Client, world: World, settings):
    document = make_document(world)
    client.force_login(world.chair)
    cases = [
        (b"not a zip", "notes.docx: The file is not a Word document (.docx): it is not a zip package at all."),
        (zip_of({"mimetype": b"x"}), "it has no word/document.xml"),
        (saved(new_document()), "no headings, so it cannot be split into sections"),
    ]
    for data, message in cases:
        response = _upload(client, document, data, name="notes.docx")
        assert response.status_code == 400
        assert message in response.content.decode().replace("&#x27;", "'")
    response = _upload(client, document, b"\0" * (MAX_UPLOAD_BYTES + 1), name="huge.docx")
    assert response.status_code == 400 and "huge.docx is 20.0 MB: a Word file to import can be at most 20 MB" in (
        response.content.decode()
    )
    response = client.post(reverse("reports:document_import", args=[world.review.pk, document.pk]))
    assert "Choose a Word file (.docx) to import." in response.content.decode()
    assert not PendingImport.objects.exists()


def test_a_locked_document_refuses_the_upload(client: Client, world: World):
    document = make_document(world, status=Document.Status.PUBLISHED)
    client.force_login(world.chair)
    response = _upload(client, document, _word(("Background", "Text.")))
    assert response.status_code == 400
    assert "is published, so nothing can be imported into it: move it back to draft first." in response.content.decode()


def test_a_pending_import_is_only_its_uploaders_and_a_stale_one_is_refused(client: Client, world: World):
    document = make_document(world)
    client.force_login(world.chair)
    _upload(client, document, _word(("Background", "Rewritten.")))
    pending = PendingImport.objects.get()
    preview = reverse("reports:document_import_preview", args=[world.review.pk, document.pk, pending.pk])
    confirm = reverse("reports:document_import_confirm", args=[world.review.pk, document.pk, pending.pk])
    other = Client()
    other.force_login(world.board_admin)
    assert other.get(preview).status_code == 404 and other.post(confirm).status_code == 404
    background = Section.objects.get(document=document, title="Background")
    other.post(
        reverse("reports:section_edit", args=[world.review.pk, document.pk, background.pk]),
        {"body": "<p>Saved meanwhile.</p>", "base_version": 1},
    )
    response = client.post(confirm, follow=True)
    assert "Not imported: Background changed since the file was read" in response.content.decode()
    background.refresh_from_db()
    assert background.body == "<p>Saved meanwhile.</p>"


def test_the_import_pages_need_the_csrf_token(world: World):
    document = make_document(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.chair)
    assert _upload(client, document, _word(("Background", "Text."))).status_code == 403
    assert not PendingImport.objects.exists()
