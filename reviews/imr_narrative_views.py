"""The IMR narrative: the page with an editor per key line of enquiry asked of the agency and its
recommendations; each answer's save (the editor's autosave and typed saves answered in JSON, or
its form without the editor's script; a save based on an old version refused with 409 and both
texts); an answer's history with two versions compared; and the chair's choice of which agencies
each key line is asked of."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from reports.forms import HistoryCompareForm, parsed
from reviews import imr_narrative_services, imr_selectors, imr_services, review_services
from reviews.forms import AnswerSaveForm, KeyLineAddressForm, NarrativeForm, form_add_service_errors
from reviews.imr_narrative_services import StaleAnswer
from reviews.models import Imr
from reviews.permissions import (
    ReviewAccess,
    imr_content_get_for_user,
    key_line_get_for_user,
    review_get_for_user,
)


def _narrative_page(
    request: AuthenticatedHttpRequest, access: ReviewAccess, imr: Imr, *, form=None, status: int = 200, **extra
) -> HttpResponse:
    form = form or NarrativeForm(initial={"recommendations": imr_selectors.imr_recommendations_text(imr)})
    context = {
        "access": access,
        "review": access.review,
        "imr": imr,
        "form": form,
        "lines": imr_selectors.imr_narrative_lines(imr),
        "user_json": {"id": request.user.pk, "name": request.user.display_name},
        **extra,
    }
    return render(request, "reviews/imr_narrative.html", context, status=status)


@login_required
def imr_narrative(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    """GET: the narrative. POST: the recommendations (each answer has its own save)."""
    access, imr = imr_content_get_for_user(request.user, pk, imr_pk, write=True)
    if request.method != "POST":
        return _narrative_page(request, access, imr)
    form = NarrativeForm(request.POST)
    if form.is_valid():
        try:
            imr_services.imr_recommendations_save(
                actor=request.user, imr=imr, recommendations=lines_of_paragraphs(form.cleaned_data["recommendations"])
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Recommendations saved.")
            return redirect("reviews:imr_narrative", pk, imr_pk)
    return _narrative_page(request, access, imr, form=form, status=400)


def lines_of_paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


@login_required
@require_POST
def imr_answer_save(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, line_pk: int) -> HttpResponse:
    """Save one answer: JSON for the editor's script ({version, saved_at}; 409 with both texts;
    400 with the reason), or the narrative page again for the form without it."""
    access, imr, key_line = key_line_get_for_user(request.user, pk, imr_pk, line_pk, write=True)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    posted = parsed(AnswerSaveForm(request.POST))
    try:
        saved = imr_narrative_services.imr_answer_save_once(
            actor=request.user, imr=imr, key_line=key_line, text=posted["body"], base_version=posted["base_version"],
            save_id=posted["save_id"], autosave=posted["autosave"],
        )  # fmt: skip
    except StaleAnswer as stale:
        context = {"stale": stale, "theirs": imr_selectors.answer_html(stale.answer.text), "mine": stale.mine}
        if wants_json:
            panel = render_to_string("reviews/imr_answer_conflict.html", context, request=request)
            payload = {
                "conflict": panel,
                "error": str(stale),
                "theirs": stale.answer.text,
                "mine": stale.mine,
                "version": stale.answer.version,
            }
            return JsonResponse(payload, status=409)
        messages.error(request, str(stale))
        return _narrative_page(request, access, imr, status=409, conflict_line=key_line.pk, conflict=context)
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        return _narrative_page(
            request,
            access,
            imr,
            status=400,
            refused_line=key_line.pk,
            refused=error.messages,
            refused_text=posted["body"],
        )
    if wants_json:
        saved_at = timezone.localtime(saved.saved_at).strftime("%H:%M:%S") if saved.saved_at else ""
        return JsonResponse({"version": saved.version, "saved_at": saved_at})
    messages.success(request, f"Answer to key line {key_line.position} saved (version {saved.version}).")
    return redirect(reverse("reviews:imr_narrative", args=[pk, imr_pk]) + f"#line-{key_line.pk}")


@login_required
@require_GET
def imr_answer_history(request: AuthenticatedHttpRequest, pk: int, imr_pk: int, line_pk: int) -> HttpResponse:
    access, imr, key_line = key_line_get_for_user(request.user, pk, imr_pk, line_pk, history=True)
    answer = imr_selectors.answer_for(imr, key_line)
    history = imr_selectors.answer_history(answer)
    wanted = parsed(HistoryCompareForm(request.GET))["wanted"]
    context = {
        "access": access,
        "review": access.review,
        "imr": imr,
        "key_line": key_line,
        "answer": answer,
        "history": history,
        "comparison": imr_selectors.answer_comparison(answer, wanted),
    }
    return render(request, "reviews/imr_answer_history.html", context)


@login_required
def key_lines_address(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The chair chooses which agencies each key line of enquiry is asked of."""
    access = review_get_for_user(request.user, pk, write=True)
    addressing, agencies = imr_selectors.key_line_addressing(access.review)
    form = KeyLineAddressForm(request.POST if request.method == "POST" else None, lines=addressing, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            review_services.key_lines_address(actor=request.user, review=access.review, chosen=form.chosen())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Saved who each key line of enquiry is asked of.")
            return redirect(access.review)
    context = {"access": access, "review": access.review, "form": form, "agencies": agencies}
    return render(request, "reviews/imr_key_lines.html", context, status=400 if form.errors else 200)
