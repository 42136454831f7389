"""IMR pages: the IMR at a glance and each step of the workflow (the narrative's pages are
reviews.imr_narrative_views)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from reviews import imr_selectors, imr_services, selectors
from reviews.forms import ImrReturnForm, ImrSubmitForm, NilReturnForm, form_add_service_errors
from reviews.models import Imr
from reviews.permissions import (
    clarification_get_for_user,
    imr_content_get_for_user,
    imr_content_read,
    imr_get_for_user,
)


@login_required
def imr_detail(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_get_for_user(request.user, pk, imr_pk)
    context = {
        "access": access,
        "review": access.review,
        "imr": imr,
        "can_read_content": access.can_read_imr_content(imr),
        "can_edit": access.can_edit_imr_content(imr),
        "can_decide": access.can_manage and imr.status == Imr.Status.SUBMITTED,
    }
    if imr_content_read(request.user, access, imr):  # a recorded look at its content
        context.update(selectors.imr_content(imr, access.review))
        if access.is_panel:
            context["changes"] = imr_selectors.imr_changes_since_return(imr)
    return render(request, "reviews/imr_detail.html", context)


@login_required
def imr_submit(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    """GET: the confirmation, with what will be submitted and the signing-off manager's name and
    role. POST: submit, or the page again with each problem at its field."""
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk, write=True)
    initial = {"signing_off_manager": imr.signing_off_manager, "signing_off_manager_role": imr.signing_off_manager_role}
    form = ImrSubmitForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            imr_services.imr_submit(actor=request.user, imr=imr, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "IMR submitted. The chair has been told; it is locked while they read it.")
            return redirect(imr)
    context = {
        "access": access,
        "review": access.review,
        "imr": imr,
        "form": form,
        **imr_selectors.imr_submit_summary(imr),
    }
    return render(request, "reviews/imr_submit.html", context, status=400 if form.errors else 200)


@login_required
def imr_nil_return(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk, write=True)
    form = NilReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            imr_services.imr_nil_return(actor=request.user, imr=imr, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Nil return made. The chair has been told.")
            return redirect(imr)
    return render(
        request, "reviews/imr_nil_return.html", {"access": access, "review": access.review, "imr": imr, "form": form}
    )


@login_required
def imr_return(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_get_for_user(request.user, pk, imr_pk, write=True)
    if imr.status != Imr.Status.SUBMITTED:
        messages.error(request, "Only a submitted IMR can be returned for clarification.")
        return redirect(imr)
    form = ImrReturnForm(request.POST or None, entries=list(selectors.imr_entries(imr)))
    if request.method == "POST" and form.is_valid():
        try:
            imr_services.imr_return(
                actor=request.user,
                imr=imr,
                question=form.cleaned_data["question"],
                entry_questions=form.entry_questions(),
            )
        except ValidationError as exc:
            form.add_error("question", exc.messages)
        else:
            messages.success(request, f"IMR returned to {imr.agency.name} for clarification.")
            return redirect(imr)
    context = {"access": access, "review": access.review, "imr": imr, "form": form}
    return render(request, "reviews/imr_return.html", context)


@require_POST
@login_required
def imr_accept(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    _access, imr = imr_get_for_user(request.user, pk, imr_pk, write=True)
    try:
        imr_services.imr_accept(actor=request.user, imr=imr)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The IMR of {imr.agency.name} accepted.")
    return redirect(imr)


@require_POST
@login_required
def clarification_respond(
    request: AuthenticatedHttpRequest, pk: int, imr_pk: int, clarification_pk: int
) -> HttpResponse:
    access, imr, clarification = clarification_get_for_user(request.user, pk, imr_pk, clarification_pk, write=True)
    try:
        imr_services.clarification_respond(
            actor=request.user, clarification=clarification, response=request.POST.get("response", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Answer saved.")
    return redirect(imr)
