"""An agency's chronology: the table, typed entries (htmx, no page reloads, and plain
forms without JavaScript), uploads with a preview, and the downloadable template."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from casereview.downloads import download_filename, download_response
from casereview.job_status import job_status_response
from chronology import selectors, services
from chronology.forms import EntryForm, ImportConfirmForm, UploadForm
from chronology.importers import FileRefused, ParseResult
from chronology.models import ChronologyEntry, ChronologyUpload
from chronology.permissions import chronology_entry_for, chronology_upload_for
from reviews.forms import form_add_service_errors
from reviews.models import Imr
from reviews.permissions import ReviewAccess, imr_content_get_for_user

PREVIEW_ROWS = 200


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _chronology_url(imr: Imr, *, page: int | None = None, entry: ChronologyEntry | None = None) -> str:
    url = reverse("chronology:entries", args=[imr.review_id, imr.pk])
    if page is not None and page > 1:
        url += f"?page={page}"
    if entry is not None:
        url += f"#entry-{entry.pk}"
    return url


def _page_summary(page: Page) -> str:
    """What the page shows: "Showing 101–200 of 40,000 entries, in date order."."""
    count = page.paginator.count
    if count == 0:
        return "No entries yet."
    if page.paginator.num_pages == 1:
        return f"{count:,} entr{pluralize(count, 'y,ies')}, in date order."
    return f"Showing {page.start_index():,}–{page.end_index():,} of {count:,} entries, in date order."


def _context(access: ReviewAccess, imr: Imr, **extra) -> dict:
    return {
        "access": access,
        "review": access.review,
        "imr": imr,
        "editable": access.can_edit_imr_content(imr),
        **extra,
    }


def _table(
    request: HttpRequest,
    access: ReviewAccess,
    imr: Imr,
    form: EntryForm | None = None,
    *,
    page_number: int | None = None,
    focus_form: bool = False,
    added: ChronologyEntry | None = None,
) -> HttpResponse:
    """The chronology, one page of it; for htmx just the #chronology part."""
    page = selectors.imr_entries_page(imr, request.GET.get("page") if page_number is None else page_number)
    context = _context(
        access,
        imr,
        page=page,
        page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        entries=page.object_list,
        summary=_page_summary(page),
        form=form or EntryForm(),
        focus_form=focus_form,
        added=added.pk if added else None,
    )
    template = "chronology/snippets/chronology.html" if _is_htmx(request) else "chronology/entries.html"
    return render(request, template, context)


def _status(request: HttpRequest, text: str, *, link: str = "", link_text: str = "", count: str = "") -> str:
    """Out-of-band updates for an htmx response: the announcement read out in the page's live
    region and, when entries were added or removed, the count above the table."""
    return render_to_string(
        "chronology/snippets/status_oob.html",
        {"status": text, "link": link, "link_text": link_text, "count": count},
        request=request,
    )


@login_required
def entries(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk)  # the look is recorded there
    return _table(request, access, imr)


@require_POST
@login_required
def entry_create(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk, write=True)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            entry = services.entry_create(actor=request.user, imr=imr, row=form.row)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            imr.refresh_from_db()
            number = selectors.entry_page_number(entry)
            if not _is_htmx(request):
                messages.success(request, f"Entry for {entry.date_display} added.")
                return redirect(_chronology_url(imr, page=number, entry=entry))
            # The page the new entry is on, with the form empty and ready for the next one.
            response = _table(request, access, imr, page_number=number, focus_form=True, added=entry)
            response.write(_status(request, f"Entry for {entry.date_display} added, on page {number}."))
            response["HX-Push-Url"] = _chronology_url(imr, page=number)
            return response
    if not _is_htmx(request):
        return _table(request, access, imr, form)
    # Only the form comes back, with its errors: the table is as it was.
    response = render(request, "chronology/snippets/entry_add_form.html", _context(access, imr, form=form))
    response["HX-Retarget"] = "#add-entry"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
def entry_row(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, entry_pk: int) -> HttpResponse:
    """One entry as a table row (what Cancel goes back to)."""
    access, imr, entry = chronology_entry_for(request.user, pk, imr_pk, entry_pk, write=False)
    return render(request, "chronology/snippets/entry_row.html", _context(access, imr, entry=entry))


@login_required
def entry_edit(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, entry_pk: int) -> HttpResponse:
    access, imr, entry = chronology_entry_for(request.user, pk, imr_pk, entry_pk, write=True)
    # Ids of its own, so that the labels of a row edited in place are not the Add form's.
    auto_id = f"id_%s-{entry.pk}"
    if request.method == "POST":
        form = EntryForm(request.POST, auto_id=auto_id)
    else:
        form = EntryForm.for_entry(entry, auto_id=auto_id)
    if request.method == "POST" and form.is_valid():
        rank = selectors.entry_rank(entry)
        try:
            entry = services.entry_update(actor=request.user, entry=entry, row=form.row)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            number = selectors.entry_page_number(entry)
            if not _is_htmx(request):
                messages.success(request, f"Entry for {entry.date_display} saved.")
                return redirect(_chronology_url(imr, page=number, entry=entry))
            # Just the row, where it was; a new date may give it another place in date order.
            moved = selectors.entry_rank(entry) != rank
            response = render(request, "chronology/snippets/entry_row.html", _context(access, imr, entry=entry))
            response.write(
                _status(
                    request,
                    f"Entry for {entry.date_display} saved."
                    + (f" Its date gives it another place in date order, on page {number}." if moved else ""),
                    link=_chronology_url(imr, page=number, entry=entry) if moved else "",
                    link_text="Show it in its place" if moved else "",
                )
            )
            return response
    context = _context(access, imr, entry=entry, form=form)
    template = "chronology/snippets/entry_form_row.html" if _is_htmx(request) else "chronology/entry_edit.html"
    return render(request, template, context)


@require_POST
@login_required
def entry_delete(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, entry_pk: int) -> HttpResponse:
    access, imr, entry = chronology_entry_for(request.user, pk, imr_pk, entry_pk, write=True)
    number = selectors.entry_page_number(entry)
    services.entry_delete(actor=request.user, entry=entry)
    if not _is_htmx(request):
        messages.success(request, f"Entry for {entry.date_display} deleted.")
        return redirect(_chronology_url(imr, page=number))
    # An empty body takes the row away; the count and the announcement come out of band.
    page = selectors.imr_entries_page(imr, number)
    return HttpResponse(_status(request, f"Entry for {entry.date_display} deleted.", count=_page_summary(page)))


@require_POST
@login_required
def entry_move(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, entry_pk: int) -> HttpResponse:
    access, imr, entry = chronology_entry_for(request.user, pk, imr_pk, entry_pk, write=True)
    direction = request.POST.get("direction", "")
    # The page the row was shown on.
    number = selectors.entry_page_number(entry)
    refused = "Only entries on the same day, at the same time, can be reordered."
    try:
        neighbour = services.entry_move(actor=request.user, entry=entry, direction=direction)
    except ValidationError as exc:
        neighbour, refused = None, " ".join(exc.messages)
    if not _is_htmx(request):
        if neighbour is None:
            messages.info(request, refused)
        return redirect(_chronology_url(imr, page=number, entry=entry))
    if neighbour is None:
        return HttpResponse(_status(request, f"Not moved. {refused}"), headers={"HX-Reswap": "none"})
    entry.refresh_from_db()
    neighbour.refresh_from_db()
    now_on = selectors.entry_page_number(entry)
    if now_on != number or selectors.entry_page_number(neighbour) != number:
        # The two change places across a page break: the page it went to is shown instead.
        return HttpResponse(headers={"HX-Redirect": _chronology_url(imr, page=now_on, entry=entry)})
    # The two rows in their new order take the place of the moved one; the neighbour's old row goes.
    first, second = (entry, neighbour) if direction == "up" else (neighbour, entry)
    context = _context(
        access, imr, first=first, second=second, neighbour=neighbour, moved=entry.pk, direction=direction
    )
    response = render(request, "chronology/snippets/entry_rows_moved.html", context)
    later = "earlier" if direction == "up" else "later"
    response.write(_status(request, f"Entry for {entry.date_display} moved {later} on the same day."))
    return response


@login_required
def upload(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
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
            chronology_upload = services.upload_request(
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
            # The file is checked by a job; its page shows the check's progress, then what it found.
            return redirect("chronology:upload_preview", pk, imr_pk, chronology_upload.pk)
    context = {"access": access, "review": access.review, "imr": imr, "form": form, "limit_mb": limit // 1_000_000}
    return render(request, "chronology/upload.html", context)


@login_required
def upload_preview(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, upload_pk: int) -> HttpResponse:
    access, imr, chronology_upload = chronology_upload_for(request.user, pk, imr_pk, upload_pk)
    if chronology_upload.status != ChronologyUpload.Status.READY:
        # Waiting, being checked, or failed: the job's status, polled until the check ends.
        context = {"access": access, "review": access.review, "imr": imr, "upload": chronology_upload}
        return render(request, "chronology/upload_checking.html", context)
    # What the job stored: the file is never read again.
    result = services.upload_result(chronology_upload)
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


@login_required
def upload_status(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, upload_pk: int) -> HttpResponse:
    """The check's status, for the page to poll while it runs (casereview.job_status)."""
    access, imr, chronology_upload = chronology_upload_for(request.user, pk, imr_pk, upload_pk, poll=True)
    context = {"access": access, "review": access.review, "imr": imr, "upload": chronology_upload}
    return job_status_response(
        request, chronology_upload, template="chronology/snippets/upload_job.html", context=context
    )


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
        "existing": selectors.imr_entry_count(imr),
        "form": form or ImportConfirmForm(),
    }
    return render(request, "chronology/upload_preview.html", context)


@login_required
def template_download(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    template = selectors.blank_template(fmt)
    if template is None:
        raise Http404("No such template")
    content, content_type = template
    # A blank template: nothing from any case in it, so nothing to record.
    return download_response(
        request,
        content=content,
        filename=download_filename("casereview-chronology-template", ext=fmt),
        content_type=content_type,
        audit=None,
    )
