"""An agency's chronology: the table, typed entries (htmx, no page reloads, and plain
forms without JavaScript), uploads with a preview, and the downloadable template."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from casereview.downloads import DownloadAudit, download_filename, download_response
from casereview.htmx_focus import after_settle
from casereview.job_status import job_status_response
from chronology import selectors, services
from chronology.forms import EntryForm, ImportConfirmForm, UploadForm
from chronology.importers import FileRefused, ParseResult
from chronology.models import ChronologyEntry, ChronologyUpload
from chronology.permissions import chronology_entry_for, chronology_upload_for
from chronology.selectors import PAGE_SIZE
from reviews.archived import ARCHIVED_MESSAGE
from reviews.forms import form_add_service_errors
from reviews.models import Imr
from reviews.permissions import ReviewAccess, imr_content_get_for_user, imr_get_for_user

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
        added=added.pk if added else None,
    )
    template = "chronology/snippets/chronology.html" if _is_htmx(request) else "chronology/entries.html"
    return render(request, template, context)


# The page's live region: what a change made in place did is read out there (casereview:announce).
STATUS = "#chronology-status"


def _changed(
    response: HttpResponse, text: str, *, focus: list[str], link: tuple[str, str] | None = None
) -> HttpResponse:
    """An htmx response that moves the focus to the first of ``focus`` on the page once it is
    swapped in, and has ``text`` read out in the page's live region (casereview/htmx_focus.py)."""
    return after_settle(response, focus=focus, announce=text, region=STATUS, link=link)


def _errors_first(scope: str) -> list[str]:
    """Where the focus goes on a form sent back with errors: its first field in error, else its message."""
    return [f"{scope} [aria-invalid='true']", f"{scope} [role='alert']"]


def _problems(form: EntryForm) -> str:
    count = sum(len(errors) for errors in form.errors.values())
    return f"{count} problem{pluralize(count)} to correct"


def _refusal_reason(user: User, pk: int, imr_pk: int, refused: Exception) -> str:
    """Why a change made in place was refused, in a sentence: the page may be older than the
    IMR's submission, the review's archiving or the entry's deletion."""
    try:
        access, imr = imr_get_for_user(user, pk, imr_pk)
    except Http404:
        return "That change was not saved: you do not have access to this chronology."
    again = " Reload the page to see it as it is now."
    if access.is_archived:
        return f"That change was not saved. {ARCHIVED_MESSAGE}{again}"
    if not access.can_read_imr_content(imr):
        return "That change was not saved: you do not have access to this chronology."
    if not imr.is_editable:
        return (
            f"That change was not saved: the IMR is now {imr.get_status_display().lower()}, "
            f"so its chronology can no longer be changed.{again}"
        )
    if isinstance(refused, Http404):
        return f"That change was not saved: the entry is no longer in the chronology (it may have been deleted).{again}"
    return "That change was not saved: you may read this chronology but not change it."


def _refusals_explained(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A change made in place (htmx) that is refused (403) or whose entry is gone (404) is
    answered with the reason as text/plain, which static/js/casereview.js shows; a whole page
    gets Django's own 403 and 404 pages."""

    @functools.wraps(view)
    def explained(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, pk, imr_pk, *args, **kwargs)
        except (PermissionDenied, Http404) as refused:
            if not _is_htmx(request):
                raise
            return HttpResponse(
                _refusal_reason(request.user, pk, imr_pk, refused),
                status=403 if isinstance(refused, PermissionDenied) else 404,
                content_type="text/plain; charset=utf-8",
            )

    return explained


@login_required
def entries(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk)  # the look is recorded there
    return _table(request, access, imr)


@require_POST
@login_required
@_refusals_explained
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
            # The page the new entry is on, with the form empty and its Date box ready for the next one.
            response = _table(request, access, imr, page_number=number, added=entry)
            response["HX-Push-Url"] = _chronology_url(imr, page=number)
            return _changed(response, f"Entry for {entry.date_display} added, on page {number}.", focus=["#id_date"])
    if not _is_htmx(request):
        return _table(request, access, imr, form)
    # Only the form comes back, with its errors: the table is as it was.
    response = render(request, "chronology/snippets/entry_add_form.html", _context(access, imr, form=form))
    response["HX-Retarget"] = "#add-entry"
    response["HX-Reswap"] = "outerHTML"
    return _changed(response, f"The entry was not added: {_problems(form)}.", focus=_errors_first("#add-entry"))


@login_required
@_refusals_explained
def entry_row(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, entry_pk: int) -> HttpResponse:
    """One entry as a table row (what Cancel goes back to)."""
    access, imr, entry = chronology_entry_for(request.user, pk, imr_pk, entry_pk, write=False)
    response = render(request, "chronology/snippets/entry_row.html", _context(access, imr, entry=entry))
    text = f"Editing cancelled: the entry for {entry.date_display} is as it was."
    return _changed(response, text, focus=[f"#edit-entry-{entry.pk}"])


@login_required
@_refusals_explained
def entry_edit(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, entry_pk: int) -> HttpResponse:
    access, imr, entry = chronology_entry_for(request.user, pk, imr_pk, entry_pk, write=True)
    if request.method != "POST":
        form = EntryForm.for_entry(entry)
        return _edit_form(request, access, imr, entry, form, f"Editing the entry for {entry.date_display}.")
    form = EntryForm(request.POST, key=str(entry.pk))
    if form.is_valid():
        rank = selectors.entry_rank(entry)
        try:
            entry = services.entry_update(actor=request.user, entry=entry, row=form.row)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            return _saved(request, access, imr, entry, rank_before=rank)
    return _edit_form(request, access, imr, entry, form, f"The entry was not saved: {_problems(form)}.")


def _edit_form(
    request: HttpRequest, access: ReviewAccess, imr: Imr, entry: ChronologyEntry, form: EntryForm, text: str
) -> HttpResponse:
    """The entry's form: for htmx in its row, its first field (or first error) focused."""
    context = _context(access, imr, entry=entry, form=form)
    if not _is_htmx(request):
        return render(request, "chronology/entry_edit.html", context)
    response = render(request, "chronology/snippets/entry_form_row.html", context)
    first = f"#{form['date'].id_for_label}"
    return _changed(response, text, focus=[*_errors_first(f"#entry-{entry.pk}"), first] if form.errors else [first])


def _saved(
    request: HttpRequest, access: ReviewAccess, imr: Imr, entry: ChronologyEntry, *, rank_before: int
) -> HttpResponse:
    number = selectors.entry_page_number(entry)
    if not _is_htmx(request):
        messages.success(request, f"Entry for {entry.date_display} saved.")
        return redirect(_chronology_url(imr, page=number, entry=entry))
    # Just the row, where it was; a new date may give it another place in date order.
    response = render(request, "chronology/snippets/entry_row.html", _context(access, imr, entry=entry))
    text, link = f"Entry for {entry.date_display} saved.", None
    if selectors.entry_rank(entry) != rank_before:
        text += f" Its date gives it another place in date order, on page {number}."
        link = (_chronology_url(imr, page=number, entry=entry), "Show it in its place")
    return _changed(response, text, focus=[f"#edit-entry-{entry.pk}"], link=link)


@require_POST
@login_required
@_refusals_explained
def entry_delete(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, entry_pk: int) -> HttpResponse:
    access, imr, entry = chronology_entry_for(request.user, pk, imr_pk, entry_pk, write=True)
    rank = selectors.entry_rank(entry)
    number = rank // PAGE_SIZE + 1
    services.entry_delete(actor=request.user, entry=entry)
    if not _is_htmx(request):
        messages.success(request, f"Entry for {entry.date_display} deleted.")
        return redirect(_chronology_url(imr, page=number))
    # An empty body takes the row away; the count comes out of band. The focus goes to the row
    # that took its place, else the one before it, else the announcement.
    page = selectors.imr_entries_page(imr, number)
    shown, index = page.object_list, rank % PAGE_SIZE
    nearby = [f"#edit-entry-{shown[i].pk}" for i in (index, index - 1) if 0 <= i < len(shown)]
    response = render(request, "chronology/snippets/count_oob.html", {"count": _page_summary(page)})
    return _changed(response, f"Entry for {entry.date_display} deleted.", focus=[*nearby, STATUS])


@require_POST
@login_required
@_refusals_explained
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
        # Nothing changes on the page; the focus stays on the button pressed.
        return _changed(HttpResponse(headers={"HX-Reswap": "none"}), f"Not moved. {refused}", focus=[])
    entry.refresh_from_db()
    neighbour.refresh_from_db()
    now_on = selectors.entry_page_number(entry)
    if now_on != number or selectors.entry_page_number(neighbour) != number:
        # The two change places across a page break: the page it went to is shown instead.
        return HttpResponse(headers={"HX-Redirect": _chronology_url(imr, page=now_on, entry=entry)})
    # The two rows in their new order take the place of the moved one; the neighbour's old row goes.
    first, second = (entry, neighbour) if direction == "up" else (neighbour, entry)
    context = _context(access, imr, first=first, second=second, neighbour=neighbour)
    response = render(request, "chronology/snippets/entry_rows_moved.html", context)
    later = "earlier" if direction == "up" else "later"
    # The focus stays on the same arrow, now in the row's new place, to move it again.
    button = f"#entry-{entry.pk} button[value='{direction}']"
    return _changed(response, f"Entry for {entry.date_display} moved {later} on the same day.", focus=[button])


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
    plan = selectors.import_plan(imr, result)
    # An empty POST (no choice made) is still a submission.
    form = ImportConfirmForm(request.POST if request.method == "POST" else None, existing=plan.existing)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.chronology_import_rows(
                actor=request.user, imr=imr, result=result, mode=form.chosen_mode, upload=chronology_upload
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _imported(outcome, chronology_upload.original_name))
            return redirect(_chronology_url(imr))
    return _preview(request, access, imr, result, plan, filename=chronology_upload.original_name, form=form)


def _rows_named(numbers: list[int], *, at_most: int = 20) -> str:
    """ "rows 3, 5 and 9", the first ``at_most`` of them and how many more."""
    shown = [str(number) for number in numbers[:at_most]]
    more = len(numbers) - len(shown)
    if more:
        shown.append(f"{more:,} more")
    words = shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
    return f"row{pluralize(len(numbers))} {words}"


def _imported(outcome: services.ImportOutcome, filename: str) -> str:
    text = f"Imported {outcome.added:,} entr{pluralize(outcome.added, 'y,ies')} from {filename}"
    if outcome.replaced:
        text += f", replacing the {outcome.replaced:,} there were"
    if outcome.skipped:
        count = len(outcome.skipped)
        text += (
            f"; skipped {count:,} row{pluralize(count)} already in the chronology or repeated in the file "
            f"({_rows_named(outcome.skipped)})"
        )
    return text + "."


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
    plan: selectors.ImportPlan,
    *,
    filename: str,
    form: ImportConfirmForm,
) -> HttpResponse:
    skipped = dict.fromkeys(plan.already_in, "Skipped: already in the chronology") | dict.fromkeys(
        plan.repeated, "Skipped: repeats an earlier row"
    )
    context = {
        "access": access,
        "review": access.review,
        "imr": imr,
        "filename": filename,
        "result": result,
        # Each row with what "add" would do with it: "" (added), or why it would be skipped.
        "preview_rows": [(row, skipped.get(row.row, "")) for row in result.rows[:PREVIEW_ROWS]],
        "plan": plan,
        "already_in": _rows_named(plan.already_in) if plan.already_in else "",
        "repeated": _rows_named(plan.repeated) if plan.repeated else "",
        "form": form,
    }
    return render(request, "chronology/upload_preview.html", context)


@login_required
def chronology_download(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, fmt: str) -> HttpResponse:
    """The agency's chronology in the import template, to work on and upload back: its author's,
    and the panel's once the agency has submitted it (imr_content_get_for_user)."""
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk)
    made = selectors.own_chronology(imr, fmt)
    if made is None:
        raise Http404("No such format")
    content, content_type = made
    return download_response(
        request,
        content=content,
        filename=download_filename(access.review.reference, imr.agency.name, "chronology", ext=fmt),
        content_type=content_type,
        audit=DownloadAudit(
            action="chronology.downloaded",
            obj=imr,
            review=access.review,
            detail={"format": fmt, "bytes": len(content)},
        ),
    )


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
