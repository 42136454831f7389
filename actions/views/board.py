"""The board's pages: the dashboard across its reviews, the file of every action plan (asked
for, polled, downloaded), and the partnership's themes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from actions import board_exports, exports, selectors, services
from actions.forms import DashboardFilterForm, ThemeForm
from actions.models import BoardPlanExport
from actions.permissions import board_export_get_for_user
from casereview.downloads import DownloadAudit, download_response
from casereview.job_status import job_status_response
from casereview.querystrings import query_without_page
from reviews.forms import form_add_service_errors
from reviews.permissions import partnership_get_for_user


@login_required
def dashboard(request: AuthenticatedHttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get_for_user(request.user, partnership_pk)
    agencies, themes = selectors.dashboard_filter_options(partnership)
    form = DashboardFilterForm(request.GET or None, agencies=agencies, themes=themes)
    clean = form.cleaned_data if form.is_valid() else {}
    filters = selectors.DashboardFilters(
        review_type=clean.get("review_type") or "",
        stage=clean.get("stage") or "",
        agency_id=clean.get("agency"),
        theme_id=clean.get("theme"),
    )
    pages = selectors.DashboardPages(
        reviews=request.GET.get("reviews_page"),
        imrs=request.GET.get("imrs_page"),
        actions=request.GET.get("actions_page"),
    )
    board = selectors.board_dashboard(partnership, today=timezone.localdate(), filters=filters, pages=pages)
    # Each table's page links keep the filters and the other tables' pages.
    queries = {name: query_without_page(request.GET, name) for name in ("reviews_page", "imrs_page", "actions_page")}
    context = {"partnership": partnership, "board": board, "form": form, "queries": queries}
    return render(request, "actions/dashboard.html", context)


@login_required
@require_POST
def board_export(request: AuthenticatedHttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get_for_user(request.user, partnership_pk)
    try:
        export = board_exports.board_export_request(
            actor=request.user, partnership=partnership, fmt=request.POST.get("format", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("actions:dashboard", partnership.pk)
    return redirect("actions:board_export_status", partnership.pk, export.pk)


@login_required
def board_export_status(request: AuthenticatedHttpRequest, partnership_pk: int, export_pk: int) -> HttpResponse:
    partnership, export = board_export_get_for_user(request.user, partnership_pk, export_pk)
    if request.method == "POST":
        try:
            board_exports.board_export_retry(actor=request.user, export=export)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("actions:board_export_status", partnership.pk, export.pk)
    context = {"partnership": partnership, "export": export}
    if request.headers.get("Accept") == "application/json":  # the page's poll (static/js/jobs.js)
        return job_status_response(request, export, template="actions/snippets/board_export_job.html", context=context)
    return render(request, "actions/board_export.html", context)


@login_required
def board_export_download(request: AuthenticatedHttpRequest, partnership_pk: int, export_pk: int) -> HttpResponseBase:
    partnership, export = board_export_get_for_user(request.user, partnership_pk, export_pk)
    if export.status != BoardPlanExport.Status.READY:
        raise Http404("Not ready")
    return download_response(
        request, stored=export.file, filename=export.filename,
        content_type=exports.CONTENT_TYPES[export.format],
        audit=DownloadAudit(action="action_plan.board_exported", obj=export, partnership=partnership),
    )  # fmt: skip


@login_required
def themes(request: AuthenticatedHttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get_for_user(request.user, partnership_pk)
    services.themes_ensure_defaults(partnership=partnership)
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_create(actor=request.user, partnership=partnership, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Theme added.")
            return redirect("actions:themes", partnership.pk)
    context = {"partnership": partnership, "themes": selectors.partnership_themes(partnership), "form": form}
    return render(request, "actions/themes.html", context)
