"""Importing a Word draft into a document from its page: the upload, the changes it would make
(per section, with what is not kept), and the chair's confirmation (reports.docx_import_service).
The chair's and the board administrators' (403 for the rest of the panel, 404 for anyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from reports import docx_import_service as service
from reports.models import Document, PendingImport
from reports.permissions import document_get_for_user
from reviews.permissions import ReviewAccess


def _pending_for(user: User, review_pk: int, doc_pk: int, pk: int) -> tuple[ReviewAccess, Document, PendingImport]:
    """A pending import is only its uploader's (anyone else: 404, as if it did not exist)."""
    access, document = document_get_for_user(user, review_pk, doc_pk, write=True)
    pending = service.pending_import_for(document=document, user=user, pk=pk)
    if pending is None:
        raise Http404("No such import")
    pending.document = document
    return access, document, pending


@login_required
@require_http_methods(["GET", "POST"])
def document_import(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    access, document = document_get_for_user(request.user, pk, doc_pk, write=True)
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError("Choose a Word file (.docx) to import.")
            name = upload.name or "The file"
            service.check_upload_size(upload.size or 0, name)  # before it is read
            plan = service.import_plan(document, upload.read(), name=name)
            pending = service.pending_import_create(document=document, plan=plan, actor=request.user, filename=name)
            return redirect("reports:document_import_preview", pk, doc_pk, pending.pk)
        except ValidationError as error:
            errors = error.messages
    context = {
        "access": access, "review": access.review, "document": document, "errors": errors,
        "limit_mb": service.MAX_UPLOAD_BYTES // 1024 // 1024,
    }  # fmt: skip
    return render(request, "reports/import_upload.html", context, status=400 if errors else 200)


@login_required
@require_http_methods(["GET"])
def document_import_preview(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, import_pk: int) -> HttpResponse:
    access, document, pending = _pending_for(request.user, pk, doc_pk, import_pk)
    plan = service.pending_plan(pending)
    items = [(item, plan.rows(item)) for item in plan.items]
    context = {
        "access": access, "review": access.review, "document": document, "pending": pending, "plan": plan,
        "changed": [(item, rows) for item, rows in items if item.changed],
        "unchanged": [item for item, _rows in items if not item.changed],
    }  # fmt: skip
    return render(request, "reports/import_preview.html", context)


@login_required
@require_POST
def document_import_confirm(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, import_pk: int) -> HttpResponse:
    _access, document, pending = _pending_for(request.user, pk, doc_pk, import_pk)
    try:
        written = service.pending_import_apply(pending=pending, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        if service.pending_import_exists(import_pk):
            return redirect("reports:document_import_preview", pk, doc_pk, import_pk)
        return redirect("reports:document_import", pk, doc_pk)
    count = len(written)
    messages.success(
        request,
        f"Imported {pending.filename}: {count} section{'s' if count != 1 else ''} saved as new versions"
        + (f" ({', '.join(written)})." if written else "."),
    )
    return redirect("reports:document", pk, document.pk)


@login_required
@require_POST
def document_import_cancel(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, import_pk: int) -> HttpResponse:
    _access, _document, pending = _pending_for(request.user, pk, doc_pk, import_pk)
    service.pending_import_cancel(pending=pending, actor=request.user)
    messages.info(request, "The import was cancelled: nothing was changed.")
    return redirect("reports:document", pk, doc_pk)
