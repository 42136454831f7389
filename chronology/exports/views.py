"""The integrated chronology's exports: asking for one, following it while it is made,
stopping or retrying it, and downloading the file. Each export is found through its access
helper (chronology.permissions.chronology_export_for); the work is the services'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from casereview.downloads import DownloadAudit, download_response
from casereview.job_status import job_status_response
from chronology.exports import selectors, services
from chronology.exports.forms import ExportForm
from chronology.permissions import chronology_export_for, integrated_version_for

CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _exports_of(pk: int, version: int) -> str:
    """The exports on the integrated chronology's page, at the version they were made from."""
    return f"{reverse('chronology:integrated', args=[pk])}?v={version}#exports"


@require_POST
@login_required
def export_request(request: AuthenticatedHttpRequest, pk: int, version: int) -> HttpResponse:
    _access, chronology = integrated_version_for(request.user, pk, version)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a format and whose names to show.")
    else:
        try:
            services.export_request(actor=request.user, chronology=chronology, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Export started: it appears below when it is ready.")
    return redirect(_exports_of(pk, version))


@login_required
def export_download(request: AuthenticatedHttpRequest, pk: int, export_pk: int) -> HttpResponseBase:
    access, export = chronology_export_for(request.user, pk, export_pk, download=True)
    if not selectors.export_is_current(export):
        messages.error(
            request,
            f"{export.filename} is superseded: the person register, the chair's publication decisions or the key "
            "episodes have changed since it was made. Ask for the export again.",
        )
        return redirect(_exports_of(pk, export.chronology.version))
    return download_response(
        request, stored=export.file, filename=export.filename, content_type=CONTENT_TYPES[export.format],
        audit=DownloadAudit(
            action="export.downloaded", obj=export, review=access.review,
            detail={"format": export.format, "names": export.names},
        ),
    )  # fmt: skip


@login_required
def export_status(request: AuthenticatedHttpRequest, pk: int, export_pk: int) -> HttpResponse:
    """One export's status, for the page to poll while it is being made (casereview.job_status)."""
    access, export = chronology_export_for(request.user, pk, export_pk)
    selectors.export_mark_superseded(export)
    context = {"access": access, "review": access.review, "export": export}
    return job_status_response(request, export, template="chronology/snippets/export_job.html", context=context)


@require_POST
@login_required
def export_cancel(request: AuthenticatedHttpRequest, pk: int, export_pk: int) -> HttpResponse:
    _access, export = chronology_export_for(request.user, pk, export_pk, stop=True)
    if services.export_cancel(actor=request.user, export=export):
        messages.success(request, f"Cancelled: {export.label}.")
    else:
        messages.info(request, "That export was not cancelled: it had already finished.")
    return redirect(_exports_of(pk, export.chronology.version))


@require_POST
@login_required
def export_retry(request: AuthenticatedHttpRequest, pk: int, export_pk: int) -> HttpResponse:
    _access, export = chronology_export_for(request.user, pk, export_pk)
    services.export_retry(actor=request.user, export=export)
    return redirect(_exports_of(pk, export.chronology.version))
