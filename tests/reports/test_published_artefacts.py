"""Published artefacts are frozen: publishing keeps the publication files (PDF, Word, web pages)
as they are, with their fingerprints and SHA-256, beside the publication report; a later edit
and render never changes them; withdrawing supersedes them with the reason and keeps them;
publishing refuses while a file is missing, naming it."""

from __future__ import annotations

import datetime
import hashlib
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casereview.storage import file_bytes
from reports import document_services, publication_files, published_selectors, render_service, services
from reports.models import Document, DocumentRender, Publication, PublishedArtefact, Section
from reports.published_services import PublicationFilesMissing
from reports.render import current_fingerprints
from reviews import publication_services, retention
from reviews.models import AuditEntry
from tests.conftest import World

pytestmark = pytest.mark.django_db

FORMATS = {"pdf", "docx", "html"}


def approve(section: Section, world: World, body: str = "<p>The victim's mother was seen.</p>") -> Document:
    services.section_save(section_id=section.pk, body=body, base_version=section.version, actor=world.chair)
    document = section.document
    for status in ("panel_review", "approved"):
        document = document_services.document_status_change(document=document, to_status=status, actor=world.chair)
    return document


def make_files(document: Document, world: World, capture) -> list[DocumentRender]:
    with capture(execute=True):
        rows = publication_files.publication_files_request(document=document, actor=world.chair)
    return rows


def publish(section: Section, world: World, capture, body: str = "<p>The victim's mother was seen.</p>") -> Document:
    document = approve(section, world, body)
    make_files(document, world, capture)
    return document_services.document_status_change(document=document, to_status="published", actor=world.chair)


def test_publishing_freezes_each_file_with_its_fingerprint_and_hash(
    world: World, section: Section, django_capture_on_commit_callbacks
):
    document = publish(section, world, django_capture_on_commit_callbacks)
    publication = Publication.objects.get(document=document)
    artefacts = list(publication.artefacts.all())
    current = current_fingerprints(Document.objects.get(pk=document.pk), publication=True)
    assert {artefact.format for artefact in artefacts} == FORMATS
    for artefact in artefacts:
        render = DocumentRender.objects.get(pk=artefact.render_id)
        assert file_bytes(artefact.file) == file_bytes(render.file) and artefact.fingerprint == render.fingerprint
        assert artefact.sha256 == hashlib.sha256(file_bytes(artefact.file)).hexdigest() and artefact.size > 0
        # Made as it reads once published: the fingerprint of the published document as it stands.
        assert render.as_published and render.fingerprint == current[artefact.format]
    pdf = next(artefact for artefact in artefacts if artefact.format == "pdf")
    assert pdf.filename == f"NDHR-01-overview-published-{timezone.localdate():%Y-%m-%d}-r{pdf.render_id}.pdf"
    assert publication.published_by == world.chair and publication.in_force
    assert publication.report["passed"] is True
    assert publication.report["sections"][0] == [1, "Introduction", section.version + 1]
    audit = AuditEntry.objects.get(action="document.publication_frozen")
    assert audit.detail["files"] == {artefact.filename: artefact.sha256 for artefact in artefacts}


def test_the_published_pdf_carries_no_sensitive_marking(
    world: World, section: Section, django_capture_on_commit_callbacks, tmp_path
):
    """The files are made as the document will read once published, not as it read when approved."""
    document = publish(section, world, django_capture_on_commit_callbacks)
    pdf = PublishedArtefact.objects.get(publication__document=document, format="pdf")
    (tmp_path / "published.pdf").write_bytes(file_bytes(pdf.file))
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "published.pdf"), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "OFFICIAL-SENSITIVE" not in text and "Published" in text


def test_publishing_is_refused_naming_each_missing_file(
    world: World, section: Section, django_capture_on_commit_callbacks
):
    document = approve(section, world)
    with django_capture_on_commit_callbacks(execute=True):
        render_service.render_request(
            actor=world.chair, document=document, fmt="pdf", publication=True, as_published=True
        )
    with pytest.raises(PublicationFilesMissing) as refused:
        document_services.document_status_change(document=document, to_status="published", actor=world.chair)
    message = " ".join(refused.value.messages)
    assert "is not published yet" in message and "these are not ready: Word (DOCX), Web pages (HTML, zip)" in message
    assert "Make the publication files" in message
    assert refused.value.missing == ["docx", "html"]
    document.refresh_from_db()
    assert document.status == "approved" and not Publication.objects.exists()


def test_a_publication_file_of_the_approved_document_is_not_enough(
    world: World, section: Section, django_capture_on_commit_callbacks
):
    """A publication render made as the document read when approved carries its marking: publishing
    asks for the files as it will read once published."""
    document = approve(section, world)
    with django_capture_on_commit_callbacks(execute=True):
        for fmt in FORMATS:
            render_service.render_request(actor=world.chair, document=document, fmt=fmt, publication=True)
    with pytest.raises(PublicationFilesMissing):
        document_services.document_status_change(document=document, to_status="published", actor=world.chair)


def test_the_chair_publishing_without_files_has_them_made_and_publishes_again(
    client: Client, world: World, section: Section, django_capture_on_commit_callbacks
):
    document = approve(section, world)
    client.force_login(world.chair)
    url = reverse("reports:document_status", args=[world.review.pk, document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, {"status": "published"}, follow=True).content.decode()
    assert "Making the publication files of the overview report" in page
    assert "Web pages (HTML, zip)" in page and 'id="publication-files"' in page
    assert Document.objects.get(pk=document.pk).status == "approved"
    page = client.get(reverse("reports:document", args=[world.review.pk, document.pk])).content.decode()
    assert "Every publication file is ready" in page and "not made yet" not in page
    page = client.post(url, {"status": "published"}, follow=True).content.decode()
    assert "is now: Published" in page and 'id="publications"' in page and "In force" in page
    assert Publication.objects.get(document=document).artefacts.count() == 3


def test_a_later_edit_and_render_does_not_change_the_frozen_bytes(
    world: World, section: Section, django_capture_on_commit_callbacks
):
    document = publish(section, world, django_capture_on_commit_callbacks)
    before = {a.pk: (file_bytes(a.file), a.sha256, a.fingerprint) for a in PublishedArtefact.objects.all()}
    document_services.document_status_change(
        document=document, to_status="draft", actor=world.chair, note="The family asked for a change."
    )
    section.refresh_from_db()
    services.section_save(
        section_id=section.pk, body="<p>Changed after publication.</p>", base_version=section.version, actor=world.chair
    )
    with django_capture_on_commit_callbacks(execute=True):
        for fmt in ("pdf", "docx"):
            render_service.render_request(actor=world.chair, document=document, fmt=fmt, publication=True)
    after = {a.pk: (file_bytes(a.file), a.sha256, a.fingerprint) for a in PublishedArtefact.objects.all()}
    assert after == before


def test_withdrawing_needs_a_reason_and_keeps_the_earlier_files_listed_as_superseded(
    client: Client, world: World, section: Section, django_capture_on_commit_callbacks
):
    document = publish(section, world, django_capture_on_commit_callbacks)
    first = Publication.objects.get(document=document)
    with pytest.raises(ValidationError, match="Say why the document is withdrawn"):
        document_services.document_status_change(document=document, to_status="draft", actor=world.chair, note=" ")
    assert Publication.objects.get(pk=first.pk).in_force
    document_services.document_status_change(
        document=document, to_status="draft", actor=world.chair, note="Paragraph 1.1 named the school."
    )
    section.refresh_from_db()
    document = publish(section, world, django_capture_on_commit_callbacks, body="<p>The victim's mother left.</p>")
    first.refresh_from_db()
    assert not first.in_force and first.superseded_reason == "Paragraph 1.1 named the school."
    assert first.superseded_by == world.chair and first.artefacts.count() == 3
    second = Publication.objects.get(document=document, superseded_at__isnull=True)
    assert {a.sha256 for a in second.artefacts.all()}.isdisjoint({a.sha256 for a in first.artefacts.all()})
    # What the review has published now: the second publication's files only.
    in_force = published_selectors.artefacts_in_force(world.review)
    assert {a.pk for a in in_force} == {a.pk for a in second.artefacts.all()}

    client.force_login(world.chair)
    page = client.get(reverse("reports:document", args=[world.review.pk, document.pk])).content.decode()
    assert page.count("Publication record") == 2 and "Superseded" in page
    assert "“Paragraph 1.1 named the school.”" in page
    for artefact in first.artefacts.all():
        url = reverse("reports:published_download", args=[world.review.pk, first.pk, artefact.pk])
        assert url in page
        download = client.get(url)
        assert download.status_code == 200 and download.getvalue() == file_bytes(artefact.file)
        assert download["Cache-Control"] == "private, no-store"
    assert AuditEntry.objects.filter(action="published_artefact.downloaded").count() == 3
    assert AuditEntry.objects.filter(action="document.publication_superseded", actor=world.chair).count() == 1


def test_a_publication_in_force_is_one_per_document(world: World, section: Section, django_capture_on_commit_callbacks):
    from django.db import IntegrityError, transaction  # noqa: PLC0415

    document = publish(section, world, django_capture_on_commit_callbacks)
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(
            review=world.review, document=document, document_kind=document.kind, published_at=timezone.now()
        )


def test_the_purge_keeps_the_published_files_and_their_bytes(
    client: Client, world: World, section: Section, django_capture_on_commit_callbacks
):
    document = publish(section, world, django_capture_on_commit_callbacks)
    before = {a.pk: (file_bytes(a.file), a.sha256) for a in PublishedArtefact.objects.all()}
    renders = [row.file for row in DocumentRender.objects.filter(document=document)]
    assert renders and all(file.storage.exists(file.name) for file in renders)
    review = world.review
    review.archived_at = timezone.now()
    review.retain_until = timezone.localdate() - datetime.timedelta(days=1)
    review.save(update_fields=["archived_at", "retain_until"])
    with django_capture_on_commit_callbacks(execute=True):
        assert retention.reviews_purge_due() == ["NDHR-01"]
    # The purge deleted the renders' stored files; the published copies are the publication's own.
    assert not any(file.storage.exists(file.name) for file in renders)
    assert not Document.objects.filter(pk=document.pk).exists()
    publication = Publication.objects.get()
    assert publication.document is None and publication.document_kind == "overview"
    assert {a.pk: (file_bytes(a.file), a.sha256) for a in PublishedArtefact.objects.all()} == before
    # Still listed for the board, and each file still downloads as it was published.
    client.force_login(world.board_admin)
    page = client.get(reverse("reports:partnership_published", args=[review.partnership_id])).content.decode()
    assert "Personal data purged" in page and "Overview report" in page
    artefact = publication.artefacts.get(format="pdf")
    download = client.get(reverse("reports:published_download", args=[review.pk, publication.pk, artefact.pk]))
    assert download.status_code == 200 and download.getvalue() == before[artefact.pk][0]
    # Nor may the review itself, or a publication, take its files with it.
    with pytest.raises(ProtectedError):
        publication.delete()
    with pytest.raises(ProtectedError):
        review.delete()


def test_a_published_file_is_kept_by_the_database_itself(
    world: World, section: Section, django_capture_on_commit_callbacks, settings
):
    """On PostgreSQL a trigger refuses to delete or rewrite a frozen file, whoever asks."""
    from django.db import DatabaseError, connection, transaction  # noqa: PLC0415

    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    publish(section, world, django_capture_on_commit_callbacks)
    artefact = PublishedArtefact.objects.first()
    assert artefact is not None
    with pytest.raises(DatabaseError, match="kept for ever"), transaction.atomic():
        PublishedArtefact.objects.filter(pk=artefact.pk).delete()
    with pytest.raises(DatabaseError, match="frozen"), transaction.atomic():
        PublishedArtefact.objects.filter(pk=artefact.pk).update(file="reports/publishedartefact/other.pdf")
    with pytest.raises(DatabaseError, match="kept as it was published"), transaction.atomic():
        Publication.objects.update(report={})
    assert file_bytes(PublishedArtefact.objects.get(pk=artefact.pk).file) == file_bytes(artefact.file)


def test_the_report_kept_names_the_acknowledgement_as_it_stood(
    world: World, section: Section, django_capture_on_commit_callbacks
):
    body = "<p>The family hope that Marsh Lane is quiet.</p>"
    document = approve(section, world, body)
    finding = document_services.publication_report(document).check.blocking[0]
    publication_services.publication_acknowledge(
        review=world.review, finding=finding, reason="A street, not the family.", actor=world.chair
    )
    make_files(document, world, django_capture_on_commit_callbacks)
    document_services.document_status_change(document=document, to_status="published", actor=world.chair)
    report = Publication.objects.get().report
    [acknowledgement] = report["acknowledgements"]
    assert acknowledgement["reason"] == "A street, not the family." and "Marsh Lane" in acknowledgement["wording"]
    assert acknowledgement["by"] == world.chair.display_name


def test_a_learning_briefing_is_published_with_its_handout_and_slides(world: World, django_capture_on_commit_callbacks):
    briefing = Document.objects.create(review=world.review, kind=Document.Kind.LEARNING_BRIEFING)
    section = Section.objects.create(document=briefing, title="What the panel learned", position=1)
    document = publish(section, world, django_capture_on_commit_callbacks, body="<p>What the panel learned.</p>")
    publication = Publication.objects.get(document=document)
    assert [artefact.format for artefact in publication.artefacts.all()] == ["pdf", "slides"]  # handout, slides
    assert publication.artefacts.get(format="pdf").filename.startswith("NDHR-01-learning-briefing-published-")
    slides = publication.artefacts.get(format="slides").filename
    assert slides.startswith("NDHR-01-learning-briefing-slides-published-") and slides.endswith(".pdf")


def test_the_published_reviews_page_reads_the_same_queries_however_many_publications(client: Client, world: World):
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    def add_publication(kind: str) -> None:
        publication = Publication.objects.create(
            review=world.review, document_kind=kind, published_at=timezone.now(), published_by=world.chair,
            superseded_at=timezone.now(), superseded_by=world.chair, superseded_reason="Replaced.",
        )  # fmt: skip
        for fmt in ("pdf", "docx"):
            PublishedArtefact.objects.create(
                publication=publication, format=fmt, fingerprint="x", sha256="0" * 64, size=3,
                filename=f"{kind}.{fmt}", file=ContentFile(b"abc", f"a.{fmt}"),
            )  # fmt: skip

    client.force_login(world.board_admin)
    url = reverse("reports:partnership_published", args=[world.review.partnership_id])
    add_publication("overview")
    client.get(url)  # the look at the page is recorded once a window: not counted below
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add_publication("executive_summary")
    add_publication("overview")
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert page.count("Publication record") == 3 and page.count("Replaced.") == 3
    # The session and user, the partnership, the look already recorded, the publications with
    # their review and people, and their files (without their bytes).
    assert len(three) == len(one)


def test_a_published_file_changed_in_the_storage_is_refused(
    client: Client, world: World, section: Section, django_capture_on_commit_callbacks
):
    """The SHA-256 recorded when it was published is checked each time the file is served."""
    from casereview.storage import StoredFileDamaged  # noqa: PLC0415

    publish(section, world, django_capture_on_commit_callbacks)
    artefact = PublishedArtefact.objects.get(format="pdf")
    url = reverse("reports:published_download", args=[world.review.pk, artefact.publication_id, artefact.pk])
    client.force_login(world.chair)
    assert client.get(url).getvalue() == file_bytes(artefact.file)
    artefact.file.storage.delete(artefact.file.name)
    artefact.file.storage.save(artefact.file.name, ContentFile(b"%PDF-1.7 something else"))
    client.raise_request_exception = True
    with pytest.raises(StoredFileDamaged):
        client.get(url)
