"""Document pages: the documents of a review, a document's outline with its numbering and status,
and its preview as the panel or the public will read it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from reports import document_services, published_views, selectors
from reports.forms import (
    DocumentCreateForm,
    DocumentNumberingForm,
    DocumentPreviewForm,
    DocumentStatusForm,
    parsed,
)
from reports.models import Document
from reports.permissions import document_get_for_user
from reports.published_services import PublicationFilesMissing
from reports.view_helpers import refused
from reviews.audit import audit_view
from reviews.permissions import panel_get_for_user


@login_required
@require_GET
def document_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = panel_get_for_user(request.user, pk)
    documents = selectors.documents_for_review(access.review)
    context = {
        "access": access,
        "review": access.review,
        "documents": [(kind, label, documents.get(kind)) for kind, label in Document.Kind.choices],
        "missing": selectors.abbreviations_missing(access.review),
    }
    return render(request, "reports/document_list.html", context)


@login_required
@require_POST
def document_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = panel_get_for_user(request.user, pk, write=True)
    try:
        posted = parsed(DocumentCreateForm(request.POST))
        document = document_services.document_create(review=access.review, kind=posted["kind"], actor=request.user)
    except ValidationError as error:
        refused(request, error)
        return redirect("reports:documents", pk)
    messages.success(request, f"The {document.get_kind_display().lower()} is ready with its sections.")
    return redirect("reports:document", pk, document.pk)


@login_required
@require_GET
def document_detail(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    access, document = document_get_for_user(request.user, pk, doc_pk)
    context = {
        "access": access,
        "review": access.review,
        "document": document,
        "sections": selectors.sections_outline(document),
        "status_changes": selectors.document_status_changes(document),
        "next_statuses": [(value, Document.Status(value).label) for value in document.next_statuses()],
        "numberings": Document.Numbering.choices,
        "empty_choices": Document.EmptySections.choices,
        "empty_sections": document_services.empty_sections(document),
        "can_edit": access.can_manage and not document.is_locked,
    }
    return render(request, "reports/document_detail.html", context)


@login_required
@require_POST
def document_numbering(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    _access, document = document_get_for_user(request.user, pk, doc_pk, write=True)
    try:
        posted = parsed(DocumentNumberingForm(request.POST))
        document_services.document_numbering_set(
            document=document, numbering=posted["numbering"], actor=request.user,
            empty_sections=posted["empty_sections"],
        )  # fmt: skip
        messages.success(
            request,
            f"Paragraphs are numbered {document.get_numbering_display().lower()}. Empty sections: "
            f"{document.get_empty_sections_display().lower()}.",
        )
    except ValidationError as error:
        refused(request, error)
    return redirect("reports:document", pk, doc_pk)


@login_required
@require_POST
def document_status(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    _access, document = document_get_for_user(request.user, pk, doc_pk, write=True)
    try:
        posted = parsed(DocumentStatusForm(request.POST))
        document = document_services.document_status_change(
            document=document, to_status=posted["status"], actor=request.user, note=posted["note"]
        )
        messages.success(request, f"The {document.get_kind_display().lower()} is now: {document.get_status_display()}.")
    except PublicationFilesMissing:
        # Not published: its publication files are made first, and the chair publishes again.
        published_views.publication_files_make_for(request, document)
    except ValidationError as error:
        refused(request, error)
    return redirect("reports:document", pk, doc_pk)


@login_required
@require_GET
def document_preview(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """The document as it will read: the panel version (names, redactions highlighted) or the
    publication version (designations, "[Redacted]"), with what would stop publication."""
    access, document = document_get_for_user(request.user, pk, doc_pk)
    publication = parsed(DocumentPreviewForm(request.GET))["version"]
    preview = selectors.document_preview(document, publication=publication)
    audit_view(
        actor=request.user, action="document.preview_viewed", obj=document, review=access.review,
        detail={"version": "publication" if publication else "panel"},
    )  # fmt: skip
    check = preview.check
    context = {
        "access": access, "review": access.review, "document": document, "composed": preview.composed,
        "check": check, "findings": check.rows if check else [],
        "acknowledgements": check.acknowledgements if check else [],
    }  # fmt: skip
    return render(request, "reports/document_preview.html", context)
