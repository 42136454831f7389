"""Publishing: a document moves to Published only while its publication check passes (the run
the publication preview shows); a published document is withdrawn to draft with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from reports import document_services, publication_files, services
from reports.models import Document, Section
from reviews.models import AuditEntry
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _approve(section: Section, world: World, body: str) -> Document:
    services.section_save(section_id=section.pk, body=body, base_version=section.version, actor=world.chair)
    document = section.document
    for status in ("panel_review", "approved"):
        document = document_services.document_status_change(document=document, to_status=status, actor=world.chair)
    return document


def test_a_document_with_findings_is_not_published_and_the_refusal_names_them(world: World, section: Section):
    document = _approve(section, world, "<p>Mrs Marsh was seen.</p><p>See [[entry:999999]].</p>")
    with pytest.raises(ValidationError) as refused:
        document_services.document_status_change(document=document, to_status="published", actor=world.chair)
    message = " ".join(refused.value.messages)
    assert "cannot be published: the publication check finds 2 problems" in message
    assert "section 1. Introduction, paragraph 1.1: surname of the victim's mother" in message
    assert "[[entry:999999]] in 1. Introduction: the reference points at nothing" in message
    document.refresh_from_db()
    assert document.status == "approved" and not document.status_changes.filter(to_status="published").exists()


def test_the_chair_is_told_why_on_the_document_page(client: Client, world: World, section: Section):
    document = _approve(section, world, "<p>Mrs Marsh was seen.</p>")
    client.force_login(world.chair)
    url = reverse("reports:document_status", args=[world.review.pk, document.pk])
    page = client.post(url, {"status": "published"}, follow=True).content.decode()
    assert "cannot be published" in page and "surname of the victim&#x27;s mother" in page
    document.refresh_from_db()
    assert document.status == "approved"


def test_a_published_document_is_withdrawn_to_draft_with_a_reason_kept_in_its_history(
    client: Client, world: World, section: Section, django_capture_on_commit_callbacks
):
    document = _approve(section, world, "<p>The victim's mother was seen.</p>")
    with django_capture_on_commit_callbacks(execute=True):  # the files it is published with, made first
        publication_files.publication_files_request(document=document, actor=world.chair)
    document = document_services.document_status_change(document=document, to_status="published", actor=world.chair)
    assert document.status == "published"
    client.force_login(world.chair)
    page = client.get(reverse("reports:document", args=[world.review.pk, document.pk])).content.decode()
    assert "Reason for withdrawing it (required)" in page and "Withdraw to draft" in page

    with pytest.raises(ValidationError, match="Say why the document is withdrawn"):
        document_services.document_status_change(document=document, to_status="draft", actor=world.chair, note="  ")
    url = reverse("reports:document_status", args=[world.review.pk, document.pk])
    client.post(url, {"status": "draft", "note": "The family asked for a change to paragraph 1.1."})
    document.refresh_from_db()
    assert document.status == "draft" and not document.is_locked
    change = document.status_changes.first()
    assert (change.from_status, change.to_status, change.note) == (
        "published", "draft", "The family asked for a change to paragraph 1.1."
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="document.publication_withdrawn")
    assert entry.actor == world.chair and entry.detail["note"] == "The family asked for a change to paragraph 1.1."
