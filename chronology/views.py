"""An agency's chronology: the table, typed entries (htmx, no page reloads, and plain
forms without JavaScript), uploads with a preview, and the downloadable template."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chronology import services, templates_download
from chronology.forms import EntryForm, ImportConfirmForm, UploadForm
from chronology.importers import FileRefused, ParseResult
from chronology.models import ChronologyEntry, ChronologyUpload
from reviews.audit import audit_view
from reviews.forms import form_add_service_errors
from reviews.models import Imr
from reviews.permissions import ReviewAccess, imr_content_get_for_user

PREVIEW_ROWS = 200


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _chronology_url(imr: Imr) -> str:
    return reverse("chronology:entries", args=[imr.review_id, imr.pk])


def _entry_get(request: HttpRequest, pk: int, imr_pk: int, entry_pk: int, *, write: bool):
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk, write=write)
    entry = ChronologyEntry.objects.filter(imr=imr, pk=entry_pk).first()
    if entry is None:
        raise Http404("No such entry")
    return access, imr, entry


def _table(
    request: HttpRequest, access: ReviewAccess, imr: Imr, form: EntryForm | None = None, *, focus_form: bool = False
) -> HttpResponse:
    context = {
        "access": access,
        "review": access.review,
        "imr": imr,
        "entries": imr.entries.order_by("date_start", "time", "position"),
        "editable": access.can_edit_imr_content(imr),
        "form": form or EntryForm(),
        "focus_form": focus_form,
    }
    template = "chronology/snippets/chronology.html" if _is_htmx(request) else "chronology/entries.html"
    return render(request, template, context)


@login_required
def entries(request: HttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk)
    audit_view(
        actor=request.user, action="chronology.viewed", obj=imr, review=access.review,
        object_repr=f"Chronology of {imr.agency.name}",
    )  # fmt: skip
    return _table(request, access, imr)


@require_POST
@login_required
def entry_create(request: HttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk, write=True)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            entry = services.entry_create(actor=request.user, imr=imr, row=form.parsed_row)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            imr.refresh_from_db()
            if not _is_htmx(request):
                messages.success(request, f"Entry for {entry.date_display} added.")
                return redirect(_chronology_url(imr))
            return _table(request, access, imr, focus_form=True)
    return _table(request, access, imr, form)


@login_required
def entry_row(request: HttpRequest, pk: int, imr_pk: int, entry_pk: int) -> HttpResponse:
    """One entry as a table row (what Cancel goes back to)."""
    access, imr, entry = _entry_get(request, pk, imr_pk, entry_pk, write=False)
    context = {
        "access": access,
        "review": access.review,
        "imr": imr,
        "entry": entry,
        "editable": access.can_edit_imr_content(imr),
    }
    return render(request, "chronology/snippets/entry_row.html", context)


@login_required
def entry_edit(request: HttpRequest, pk: int, imr_pk: int, entry_pk: int) -> HttpResponse:
    access, imr, entry = _entry_get(request, pk, imr_pk, entry_pk, write=True)
    form = EntryForm(request.POST) if request.method == "POST" else EntryForm.for_entry(entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_update(actor=request.user, entry=entry, row=form.parsed_row)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if not _is_htmx(request):
                messages.success(request, f"Entry for {entry.date_display} saved.")
                return redirect(_chronology_url(imr))
            # The form replaced one row; the saved entry may move, so the whole table is redrawn.
            response = _table(request, access, imr)
            response["HX-Retarget"] = "#chronology"
            response["HX-Reswap"] = "outerHTML"
            return response
    context = {"access": access, "review": access.review, "imr": imr, "entry": entry, "form": form}
    template = "chronology/snippets/entry_form_row.html" if _is_htmx(request) else "chronology/entry_edit.html"
    return render(request, template, context)


@require_POST
@login_required
def entry_delete(request: HttpRequest, pk: int, imr_pk: int, entry_pk: int) -> HttpResponse:
    access, imr, entry = _entry_get(request, pk, imr_pk, entry_pk, write=True)
    services.entry_delete(actor=request.user, entry=entry)
    if not _is_htmx(request):
        messages.success(request, f"Entry for {entry.date_display} deleted.")
        return redirect(_chronology_url(imr))
    return _table(request, access, imr)


@require_POST
@login_required
def entry_move(request: HttpRequest, pk: int, imr_pk: int, entry_pk: int) -> HttpResponse:
    access, imr, entry = _entry_get(request, pk, imr_pk, entry_pk, write=True)
    try:
        moved = services.entry_move(actor=request.user, entry=entry, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if not moved and not _is_htmx(request):
            messages.info(request, "Only entries on the same day, at the same time, can be reordered.")
    if not _is_htmx(request):
        return redirect(_chronology_url(imr))
    return _table(request, access, imr)


@login_required
def upload(request: HttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk, write=True)
    form = UploadForm(request.POST or None, request.FILES or None)
    limit = settings.CHRONOLOGY_UPLOAD_MAX_BYTES
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            if uploaded.size > limit:
                raise FileRefused(
                    f"The file is {uploaded.size / 1_000_000:.1f} MB; the limit is {limit / 1_000_000:.0f} MB."
                )
            chronology_upload, result = services.upload_check(
                actor=request.user,
                imr=imr,
                data=uploaded.read(),
                original_name=uploaded.name,
                sheet=form.cleaned_data["sheet"],
                max_bytes=limit,
            )
        except FileRefused as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if chronology_upload is not None:
                return redirect("chronology:upload_preview", pk, imr_pk, chronology_upload.pk)
            # A file with errors is not kept: its problems are shown now, for the author to fix.
            return _preview(request, access, imr, result, filename=uploaded.name)
    context = {"access": access, "review": access.review, "imr": imr, "form": form, "limit_mb": limit // 1_000_000}
    return render(request, "chronology/upload.html", context)


@login_required
def upload_preview(request: HttpRequest, pk: int, imr_pk: int, upload_pk: int) -> HttpResponse:
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk, write=True)
    chronology_upload = ChronologyUpload.objects.filter(
        imr=imr, pk=upload_pk, status=ChronologyUpload.Status.PREVIEWED
    ).first()
    if chronology_upload is None:
        raise Http404("No such upload")
    result = services.upload_parse(chronology_upload, max_bytes=settings.CHRONOLOGY_UPLOAD_MAX_BYTES)
    # An empty POST (the box left unticked) is still a submission.
    form = ImportConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.chronology_import(
                actor=request.user,
                imr=imr,
                result=result,
                replace=form.cleaned_data["replace"],
                upload=chronology_upload,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Imported {count} entries from {chronology_upload.original_name}.")
            return redirect(_chronology_url(imr))
    return _preview(request, access, imr, result, filename=chronology_upload.original_name, form=form)


def _preview(
    request: HttpRequest,
    access: ReviewAccess,
    imr: Imr,
    result: ParseResult,
    *,
    filename: str,
    form: ImportConfirmForm | None = None,
) -> HttpResponse:
    context = {
        "access": access,
        "review": access.review,
        "imr": imr,
        "filename": filename,
        "result": result,
        "preview_rows": result.rows[:PREVIEW_ROWS],
        "existing": imr.entries.count(),
        "form": form or ImportConfirmForm(),
    }
    return render(request, "chronology/upload_preview.html", context)


@login_required
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(
            templates_download.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        response = HttpResponse(templates_download.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404("No such template")
    response["Content-Disposition"] = f'attachment; filename="casereview-chronology-template.{fmt}"'
    return response
