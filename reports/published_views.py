"""Published documents: making a document's publication files before publishing it, a
publication as it was kept (its frozen files and its publication report), a frozen file's
download, and a partnership's "Published reviews" for its board administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from casereview.downloads import DownloadAudit, download_response
from reports import published_selectors
from reports.models import Document, DocumentRender
from reports.permissions import document_get_for_user, publication_get_for_user, published_artefact_get_for_user
from reports.publication_files import publication_files_request
from reports.view_helpers import refused
from reviews.audit import audit_view
from reviews.permissions import partnership_get_for_user

CONTENT_TYPES = {
    DocumentRender.Format.PDF: "application/pdf",
    DocumentRender.Format.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentRender.Format.HTML: "application/zip",
    DocumentRender.Format.SLIDES: "application/pdf",
}


def publication_files_make_for(request: AuthenticatedHttpRequest, document: Document) -> None:
    """Ask for each publication file not ready, and say so (the document page lists them)."""
    try:
        rows = publication_files_request(document=document, actor=request.user)
    except ValidationError as error:
        refused(request, error)
        return
    if not rows:
        messages.success(request, "Every publication file is ready: the document can be published.")
        return
    labels = ", ".join(row.get_format_display() for row in rows)
    messages.info(
        request,
        f"Making the publication files of the {document.get_kind_display().lower()}, as it will read once "
        f"published: {labels}. When each is ready under “Publication files”, publish it.",
    )


@login_required
@require_POST
def publication_files_make(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    _access, document = document_get_for_user(request.user, pk, doc_pk, write=True)
    publication_files_make_for(request, document)
    return redirect(reverse("reports:document", args=[pk, doc_pk]) + "#publication-files")


@login_required
@require_GET
def publication_detail(request: AuthenticatedHttpRequest, pk: int, publication_pk: int) -> HttpResponse:
    access, publication = publication_get_for_user(request.user, pk, publication_pk)
    report = published_selectors.report_shown(publication.report)
    context = {"access": access, "review": access.review, "publication": publication, "report": report}
    return render(request, "reports/publication_detail.html", context)


@login_required
@require_GET
def published_download(
    request: AuthenticatedHttpRequest, pk: int, publication_pk: int, artefact_pk: int
) -> HttpResponseBase:
    """A frozen file, its bytes exactly as published (whatever has changed since)."""
    access, publication, artefact = published_artefact_get_for_user(request.user, pk, publication_pk, artefact_pk)
    return download_response(
        request, stored=artefact.file, sha256=artefact.sha256, filename=artefact.filename,
        content_type=CONTENT_TYPES[DocumentRender.Format(artefact.format)],
        audit=DownloadAudit(
            action="published_artefact.downloaded", obj=artefact, review=access.review,
            detail={"publication": publication.pk, "format": artefact.format, "sha256": artefact.sha256},
        ),
    )  # fmt: skip


@login_required
@require_GET
def partnership_published(request: AuthenticatedHttpRequest, partnership_pk: int) -> HttpResponse:
    """Every published review of the partnership, with its publications and their files."""
    partnership = partnership_get_for_user(request.user, partnership_pk)
    audit_view(actor=request.user, action="partnership.published_viewed", obj=partnership)
    publications = published_selectors.publications_for_partnership(partnership)
    context = {"partnership": partnership, "reviews": published_selectors.by_review(publications)}
    return render(request, "reports/partnership_published.html", context)
