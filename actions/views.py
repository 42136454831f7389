"""Pages for the action plan, the statutory clocks, the board dashboard and the agency view:
access helper → form → service → message → redirect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from actions import board_exports, exports, plan_export, selectors, services
from actions.evidence import CONTENT_TYPES
from actions.forms import (
    ActionForm,
    AssureForm,
    ClockExtensionForm,
    ClockMetForm,
    DashboardFilterForm,
    MilestoneForm,
    ProgressForm,
    RecommendationForm,
    ThemeForm,
)
from actions.models import Action, BoardPlanExport, Evidence, Milestone
from actions.permissions import (
    action_get_for_user,
    clocks_get_for_user,
    evidence_get_for_user,
    plan_get_for_user,
    recommendation_get_for_user,
)
from casereview.downloads import DownloadAudit, download_filename, download_response
from casereview.job_status import job_status_response
from reviews import clocks
from reviews.forms import form_add_service_errors
from reviews.permissions import partnership_get_for_user
from reviews.publication import PublicationBlocked

# --- One review's action plan ----------------------------------------------------------------


@login_required
def action_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = plan_get_for_user(request.user, pk)
    agency_ids = None if access.reads_everything else access.owner_agency_ids
    context = {
        "access": access.review_access,
        "plan": access,
        "review": access.review,
        "recommendations": selectors.plan_recommendations(access.review, agency_ids=agency_ids),
        "today": timezone.localdate(),
    }
    return render(request, "actions/action_plan.html", context)


def _recommendation_data(form: RecommendationForm) -> services.RecommendationData:
    data = form.cleaned_data
    return services.RecommendationData(
        number=data["number"],
        text=data["text"],
        source=data["source"],
        imr=data["imr"],
        multi_agency=data["multi_agency"],
        agencies=list(data["agencies"]),
        scope=data["scope"],
        theme=data["theme"],
        expected_outcome=data["expected_outcome"],
    )


@login_required
def recommendation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = plan_get_for_user(request.user, pk, write=True)
    review = access.review
    services.themes_ensure_defaults(partnership=review.partnership)
    form = RecommendationForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_create(
                actor=request.user, review=review, data=_recommendation_data(form)
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Recommendation {recommendation.number} added.")
            return redirect("actions:plan", review.pk)
    context = {"form": form, "review": review, "access": access.review_access, "title": "Add a recommendation"}
    return render(request, "actions/form.html", context)


@login_required
def recommendation_edit(request: AuthenticatedHttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    access, recommendation = recommendation_get_for_user(request.user, pk, recommendation_pk, write=True)
    review = access.review
    initial = RecommendationForm.initial_for(recommendation)
    form = RecommendationForm(request.POST or None, review=review, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recommendation_update(
                actor=request.user, recommendation=recommendation, data=_recommendation_data(form)
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Recommendation {recommendation.number} saved.")
            return redirect("actions:plan", review.pk)
    context = {
        "form": form,
        "review": review,
        "access": access.review_access,
        "title": f"Edit recommendation {recommendation.number}",
        "delete_url": reverse("actions:recommendation_delete", args=[review.pk, recommendation.pk]),
    }
    return render(request, "actions/form.html", context)


@login_required
@require_POST
def recommendation_delete(request: AuthenticatedHttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    access, recommendation = recommendation_get_for_user(request.user, pk, recommendation_pk, write=True)
    try:
        services.recommendation_delete(actor=request.user, recommendation=recommendation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Recommendation {recommendation.number} removed.")
    return redirect("actions:plan", access.review.pk)


@login_required
def action_create(request: AuthenticatedHttpRequest, pk: int, recommendation_pk: int) -> HttpResponse:
    access, recommendation = recommendation_get_for_user(request.user, pk, recommendation_pk, write=True)
    review = access.review
    form = ActionForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(actor=request.user, recommendation=recommendation, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Action added to recommendation {recommendation.number}.")
            return redirect("actions:action_detail", review.pk, action.pk)
    context = {
        "form": form,
        "review": review,
        "access": access.review_access,
        "title": f"Add an action to recommendation {recommendation.number}",
        "recommendation": recommendation,
    }
    return render(request, "actions/form.html", context)


def _action_page(request: HttpRequest, access, action: Action, progress_form: ProgressForm, *, status: int = 200):
    context = {
        "access": access.review_access,
        "plan": access,
        "review": access.review,
        "action": action,
        "today": timezone.localdate(),
        "milestones": action.milestones.all(),
        "updates": action.updates.prefetch_related(Prefetch("evidence", queryset=Evidence.objects.defer("data"))),
        "can_report": access.can_report_progress(action),
        "progress_form": progress_form,
        "milestone_form": MilestoneForm(),
        "assure_form": AssureForm(),
    }
    return render(request, "actions/action_detail.html", context, status=status)


@login_required
def action_detail(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    access, action = action_get_for_user(request.user, pk, action_pk)
    # An overdue action is one nobody has reported on in time: on track is the likelier next report.
    status = action.status if action.status in services.PROGRESS_STATUSES else Action.Status.ON_TRACK
    return _action_page(request, access, action, ProgressForm(initial={"status": status}))


@login_required
def action_edit(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    access, action = action_get_for_user(request.user, pk, action_pk, write=True)
    review = access.review
    initial = {name: getattr(action, name) for name in services.ACTION_EDITABLE_FIELDS}
    form = ActionForm(request.POST or None, review=review, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Action saved.")
            return redirect("actions:action_detail", review.pk, action.pk)
    context = {"form": form, "review": review, "access": access.review_access, "title": "Edit action"}
    return render(request, "actions/form.html", context)


@login_required
@require_POST
def action_progress(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    access, action = action_get_for_user(request.user, pk, action_pk, progress=True)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        # A file over the limit is refused by its declared size, without reading it into memory.
        limit = settings.ACTION_EVIDENCE_MAX_BYTES
        files = [
            services.EvidenceUpload(name=f.name, data=f.read() if f.size <= limit else b"", size=f.size)
            for f in data["files"]
        ]
        try:
            services.progress_add(
                actor=request.user,
                action=action,
                text=data["text"],
                status=data["status"],
                completed_on=data["completed_on"],
                outcome=data["outcome"],
                files=files,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Progress recorded.")
            return redirect("actions:action_detail", access.review.pk, action.pk)
    return _action_page(request, access, action, form, status=400)


@login_required
@require_POST
def action_assure(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    access, action = action_get_for_user(request.user, pk, action_pk, assure=True)
    form = AssureForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.action_assure(actor=request.user, action=action, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Action signed off as assured.")
    return redirect("actions:action_detail", access.review.pk, action.pk)


@login_required
@require_POST
def milestone_add(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    access, action = action_get_for_user(request.user, pk, action_pk, write=True)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_add(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Milestone added.")
    else:
        problems = "; ".join(
            f"{form.fields[name].label}: {' '.join(map(str, errs))}" for name, errs in form.errors.items()
        )
        messages.error(request, f"The milestone was not added. {problems}")
    return redirect("actions:action_detail", access.review.pk, action.pk)


@login_required
@require_POST
def milestone_done(request: AuthenticatedHttpRequest, pk: int, action_pk: int, milestone_pk: int) -> HttpResponse:
    access, action = action_get_for_user(request.user, pk, action_pk, progress=True)
    milestone = Milestone.objects.filter(action=action, pk=milestone_pk).first()
    if milestone is None:
        raise Http404("No such milestone")
    done_on = None if milestone.done_on else timezone.localdate()
    services.milestone_mark(actor=request.user, milestone=milestone, done_on=done_on)
    messages.success(request, "Milestone marked done." if done_on else "Milestone marked not done.")
    return redirect("actions:action_detail", access.review.pk, action.pk)


@login_required
def evidence_download(request: AuthenticatedHttpRequest, pk: int, action_pk: int, evidence_pk: int) -> HttpResponse:
    access, evidence = evidence_get_for_user(request.user, pk, action_pk, evidence_pk)
    # An attachment, so an uploaded file never renders in our origin.
    return download_response(
        request, content=bytes(evidence.data), filename=evidence.filename, content_type=CONTENT_TYPES[evidence.kind],
        audit=DownloadAudit(action="evidence.downloaded", obj=evidence, review=access.review),
    )  # fmt: skip


@login_required
def action_plan_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The publication version (designations) unless the panel asks for real names."""
    access = plan_get_for_user(request.user, pk)
    names = request.GET.get("names", "designations")
    if not access.reads_everything or names not in plan_export.NAMES:
        raise Http404("No such export")
    review = access.review
    try:
        plan = plan_export.review_plan_file(review, fmt=fmt, names=names, today=timezone.localdate())
    except PublicationBlocked as exc:
        messages.error(request, f"The action plan was not exported. {exc}.")
        return redirect("actions:plan", pk)
    return download_response(
        request, content=plan.data, content_type=plan.content_type,
        filename=download_filename("action-plan", review.reference, "real-names" if names == "real" else "", ext=fmt),
        audit=DownloadAudit(action="action_plan.exported", obj=review, detail={"format": fmt, "names": names}),
    )  # fmt: skip


# --- Statutory clocks ------------------------------------------------------------------------


@login_required
def review_clocks(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = clocks_get_for_user(request.user, pk, write=request.method == "POST")
    review = access.review
    today = timezone.localdate()
    form = ClockExtensionForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        try:
            clocks.clock_extension_add(actor=request.user, review=review, today=today, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Extension recorded.")
            return redirect("actions:clocks", review.pk)
    context = {
        "access": access,
        "review": review,
        "milestones": clocks.review_clock(review, today=today),
        "rules": {rule.key: clocks.describe(rule) for rule in clocks.rules_for(review.review_type)},
        "form": form,
        "met_form": ClockMetForm(review=review),
        "today": today,
    }
    return render(request, "actions/clocks.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def clock_met(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = clocks_get_for_user(request.user, pk, write=True)
    form = ClockMetForm(request.POST, review=access.review)
    if form.is_valid():
        try:
            clocks.clock_met_record(actor=request.user, review=access.review, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Milestone date recorded.")
    else:
        problems = "; ".join(
            f"{form.fields[name].label or name}: {' '.join(map(str, errs))}" for name, errs in form.errors.items()
        )
        messages.error(request, f"Nothing was recorded. {problems}")
    return redirect("actions:clocks", access.review.pk)


# --- The board ---------------------------------------------------------------------------------


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
    board = selectors.board_dashboard(partnership, today=timezone.localdate(), filters=filters)
    return render(request, "actions/dashboard.html", {"partnership": partnership, "board": board, "form": form})


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


def _board_export_get(request: AuthenticatedHttpRequest, partnership_pk: int, export_pk: int):
    partnership = partnership_get_for_user(request.user, partnership_pk)
    export = BoardPlanExport.objects.defer("data").filter(partnership=partnership, pk=export_pk).first()
    if export is None:
        raise Http404("No such export")
    return partnership, export


@login_required
def board_export_status(request: AuthenticatedHttpRequest, partnership_pk: int, export_pk: int) -> HttpResponse:
    partnership, export = _board_export_get(request, partnership_pk, export_pk)
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
def board_export_download(request: AuthenticatedHttpRequest, partnership_pk: int, export_pk: int) -> HttpResponse:
    partnership, export = _board_export_get(request, partnership_pk, export_pk)
    if export.status != BoardPlanExport.Status.READY:
        raise Http404("Not ready")
    data = bytes(BoardPlanExport.objects.values_list("data", flat=True).get(pk=export.pk))
    return download_response(
        request, content=data, filename=export.filename, content_type=exports.CONTENT_TYPES[export.format],
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
    context = {"partnership": partnership, "themes": partnership.themes.all(), "form": form}
    return render(request, "actions/themes.html", context)


@login_required
def my_actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions = selectors.actions_for_owner(request.user)
    today = timezone.localdate()
    open_actions = [a for a in actions if a.status not in Action.DONE_STATUSES]
    return render(
        request,
        "actions/my_actions.html",
        {
            "open_actions": open_actions,
            "done_actions": [a for a in actions if a.status in Action.DONE_STATUSES],
            "next_action": open_actions[0] if open_actions else None,
            "today": today,
        },
    )
