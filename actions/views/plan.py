"""One review's action plan: the plan page, its file exports, and the forms that add and change
its recommendations and their actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from actions import plan_export, selectors, services
from actions.forms import ActionForm, RecommendationForm
from actions.permissions import plan_get_for_user, recommendation_get_for_user
from casereview.downloads import DownloadAudit, download_filename, download_response
from reviews.forms import form_add_service_errors
from reviews.publication import PublicationBlocked


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
