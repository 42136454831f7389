"""A review's statutory clocks: the milestones and their due dates, extensions and dates met."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from actions.forms import ClockExtensionForm, ClockMetForm
from reviews import clocks
from reviews.forms import form_add_service_errors
from reviews.permissions import ReviewAccess, panel_get_for_user


@login_required
def review_clocks(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = panel_get_for_user(request.user, pk, write=request.method == "POST")
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
    return _clocks_page(request, access, form, ClockMetForm(review=review, prefix="met"))


def _clocks_page(
    request: AuthenticatedHttpRequest, access: ReviewAccess, form: ClockExtensionForm, met_form: ClockMetForm
) -> HttpResponse:
    """The clocks page; a form sent with problems is drawn again with them at its fields (400)."""
    review = access.review
    today = timezone.localdate()
    context = {
        "access": access,
        "review": review,
        "milestones": clocks.review_clock(review, today=today),
        "rules": {rule.key: clocks.describe(rule) for rule in clocks.rules_for(review.review_type)},
        "form": form,
        "met_form": met_form,
        "today": today,
    }
    return render(request, "actions/clocks.html", context, status=400 if form.errors or met_form.errors else 200)


@login_required
@require_POST
def clock_met(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = panel_get_for_user(request.user, pk, write=True)
    form = ClockMetForm(request.POST, review=access.review, prefix="met")
    if form.is_valid():
        try:
            clocks.clock_met_record(actor=request.user, review=access.review, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Milestone date recorded.")
    if form.errors:
        return _clocks_page(request, access, ClockExtensionForm(review=access.review), form)
    return redirect("actions:clocks", access.review.pk)
