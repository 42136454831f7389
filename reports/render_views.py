"""The document page's "Render" panel: ask for a PDF or Word file, watch it being made, download
it, or try again after a failure. Publication versions are the chair's and the board's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from casereview.downloads import DownloadAudit, download_response
from casereview.job_status import job_status_response
from reports import render_service, selectors
from reports.forms import RenderRequestForm, parsed
from reports.models import DocumentRender
from reports.permissions import document_get_for_render, render_get_for_user

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "application/zip",  # the web pages (reports.render_html), a folder zipped
    "slides": "application/pdf",  # a learning briefing's slides
}


def _panel_url(review_pk: int, doc_pk: int) -> str:
    return reverse("reports:document", args=[review_pk, doc_pk]) + "#renders"


@login_required
@require_GET
def render_status(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, render_pk: int) -> HttpResponse:
    """One file's status, for the page to poll while it is being made (casereview.job_status)."""
    access, row = render_get_for_user(request.user, pk, doc_pk, render_pk)
    selectors.renders_superseded([row])
    context = {"review": access.review, "document": row.document, "access": access, "row": row}
    return job_status_response(request, row, template="reports/snippets/render_job.html", context=context)


@login_required
@require_POST
def render_request(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    posted = parsed(RenderRequestForm(request.POST))
    _access, document = document_get_for_render(request.user, pk, doc_pk, publication=posted["version"])
    try:
        row = render_service.render_request(
            actor=request.user, document=document, fmt=posted["format"], publication=posted["version"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if row.status == DocumentRender.Status.READY:
            messages.success(request, "Nothing has changed since this file was made: it is ready below.")
        else:
            messages.success(request, "Rendering: the file appears below when it is ready.")
    return redirect(_panel_url(pk, doc_pk))


@login_required
@require_GET
def render_download(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, render_pk: int) -> HttpResponseBase:
    access, row = render_get_for_user(request.user, pk, doc_pk, render_pk)
    if row.status != DocumentRender.Status.READY:
        messages.error(request, "That file is not ready.")
        return redirect(_panel_url(pk, doc_pk))
    if row.publication and not selectors.render_is_current(row):
        # Made from other inputs (text, register, decisions, code): no longer a publication version.
        messages.error(request, f"{row.filename} is superseded: the document or what it is made from has changed "
                                "since. Render the publication version again.")  # fmt: skip
        return redirect(_panel_url(pk, doc_pk))
    # The panel's version has the real names in it: each download is recorded.
    version = "publication" if row.publication else "panel"
    return download_response(
        request, stored=row.file, filename=row.filename, content_type=CONTENT_TYPES[row.format],
        audit=DownloadAudit(
            action="document_render.downloaded", obj=row, review=access.review,
            detail={"document": row.document_id, "format": row.format, "version": version},
        ),
    )  # fmt: skip


@login_required
@require_POST
def render_cancel(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, render_pk: int) -> HttpResponse:
    _access, row = render_get_for_user(request.user, pk, doc_pk, render_pk, cancel=True)
    if render_service.render_cancel(actor=request.user, row=row):
        messages.success(request, f"Cancelled: {row.label}.")
    else:
        messages.info(request, "That file was not cancelled: it had already finished.")
    return redirect(_panel_url(pk, doc_pk))


@login_required
@require_POST
def render_retry(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, render_pk: int) -> HttpResponse:
    # A publication version is only ever found for those who may have it made again.
    _access, row = render_get_for_user(request.user, pk, doc_pk, render_pk)
    if render_service.render_retry(actor=request.user, row=row):
        messages.success(request, "Trying again: the file appears below when it is ready.")
    else:
        messages.info(request, "That file was not retried: it is waiting, being made or ready.")
    return redirect(_panel_url(pk, doc_pk))
