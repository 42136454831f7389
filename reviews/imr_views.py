"""IMR pages: the IMR at a glance, the agency's narrative, and each step of the workflow."""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from reviews import imr_services
from reviews.forms import form_add_service_errors
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
        answers = {answer.key_line_id: answer.text for answer in imr.answers.all()}
        context.update(
            answered_lines=[(line, answers.get(line.pk, "")) for line in access.review.key_lines.all()],
            recommendations=imr.recommendations.all(),
            clarifications=imr.clarifications.select_related("entry", "asked_by", "responded_by"),
            entry_count=imr.entries.count(),
            significant_count=imr.entries.filter(significant=True).count(),
        )
    return render(request, "reviews/imr_detail.html", context)


class NarrativeForm(forms.Form):
    recommendations = forms.CharField(
        label="Single-agency recommendations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What your agency will change. Separate recommendations with a blank line.",
    )

    def __init__(self, *args, key_lines, **kwargs):
        super().__init__(*args, **kwargs)
        for line in key_lines:
            self.fields[f"line_{line.pk}"] = forms.CharField(
                label=f"{line.position}. {line.text}", required=False, widget=forms.Textarea(attrs={"rows": 5})
            )
        self.order_fields([name for name in self.fields if name.startswith("line_")] + ["recommendations"])


@login_required
def imr_narrative(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk, write=True)
    key_lines = list(access.review.key_lines.all())
    initial = {f"line_{answer.key_line_id}": answer.text for answer in imr.answers.all()}
    initial["recommendations"] = "\n\n".join(imr.recommendations.values_list("text", flat=True))
    form = NarrativeForm(request.POST or None, initial=initial, key_lines=key_lines)
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


class NilReturnForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: the agency's records hold no contact with any of the people in this review.",
    )


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
    entries = list(imr.entries.order_by("date_start", "time", "position"))
    error = ""
    if request.method == "POST":
        entry_questions = {entry.pk: request.POST.get(f"entry_{entry.pk}", "") for entry in entries}
        try:
            imr_services.imr_return(
                actor=request.user, imr=imr, question=request.POST.get("question", ""), entry_questions=entry_questions
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"IMR returned to {imr.agency.name} for clarification.")
            return redirect(imr)
    context = {
        "access": access,
        "review": access.review,
        "imr": imr,
        "entries": [(entry, request.POST.get(f"entry_{entry.pk}", "")) for entry in entries],
        "error": error,
        "question": request.POST.get("question", ""),
    }
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
