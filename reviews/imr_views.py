"""IMR pages: the IMR at a glance, the agency's narrative, and each step of the workflow."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from reviews import imr_services, selectors
from reviews.forms import ImrReturnForm, NarrativeForm, NilReturnForm, form_add_service_errors
from reviews.models import Imr
from reviews.permissions import (
    clarification_get_for_user,
    imr_content_get_for_user,
    imr_content_read,
    imr_get_for_user,
)


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


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
    return render(request, "reviews/imr_detail.html", context)


@login_required
def imr_narrative(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk, write=True)
    key_lines = list(selectors.review_key_lines(access.review))
    form = NarrativeForm(request.POST or None, initial=selectors.imr_narrative_initial(imr), key_lines=key_lines)
    if request.method == "POST" and form.is_valid():
        answers = {line.pk: form.cleaned_data[f"line_{line.pk}"] for line in key_lines}
        try:
            imr_services.imr_narrative_save(
                actor=request.user,
                imr=imr,
                answers=answers,
                recommendations=_paragraphs(form.cleaned_data["recommendations"]),
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Narrative saved.")
            return redirect(imr)
    return render(
        request, "reviews/imr_narrative.html", {"access": access, "review": access.review, "imr": imr, "form": form}
    )


@require_POST
@login_required
def imr_submit(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    _access, imr = imr_content_get_for_user(request.user, pk, imr_pk, write=True)
    try:
        imr_services.imr_submit(actor=request.user, imr=imr)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, "IMR submitted. The chair has been told; it is locked while they read it.")
    return redirect(imr)


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
        messages.success(request, f"{imr.agency.name}'s IMR accepted.")
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
