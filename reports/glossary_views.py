"""The review's glossary: the abbreviations its documents use and what each stands for, typed
one by one or pasted as lines, with those used but not yet explained."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from reports import glossary_services, selectors
from reports.forms import GlossaryForm, parsed
from reports.permissions import glossary_term_get_for_user
from reports.view_helpers import refused
from reviews.permissions import ReviewAccess, panel_get_for_user


@login_required
def glossary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the glossary. POST: a term saved, or lines of terms."""
    access = panel_get_for_user(request.user, pk, write=request.method == "POST")
    if request.method == "POST":
        _glossary_save(request, access)
        return redirect("reports:glossary", pk)
    context = {
        "access": access,
        "review": access.review,
        "terms": selectors.glossary_terms(access.review),
        "missing": selectors.abbreviations_missing(access.review),
    }
    return render(request, "reports/glossary.html", context)


def _glossary_save(request: AuthenticatedHttpRequest, access: ReviewAccess) -> None:
    try:
        posted = parsed(GlossaryForm(request.POST))
        if posted["lines"]:
            count = glossary_services.glossary_terms_import(
                review=access.review, text=posted["lines"], actor=request.user
            )
            messages.success(request, f"{count} glossary term{'s' if count != 1 else ''} saved.")
        else:
            term = glossary_services.glossary_term_save(
                review=access.review, abbreviation=posted["abbreviation"], expansion=posted["expansion"],
                actor=request.user,
            )  # fmt: skip
            messages.success(request, f"{term.abbreviation} saved.")
    except ValidationError as error:
        refused(request, error)


@login_required
@require_POST
def glossary_delete(request: AuthenticatedHttpRequest, pk: int, term_pk: int) -> HttpResponse:
    _access, term = glossary_term_get_for_user(request.user, pk, term_pk, write=True)
    glossary_services.glossary_term_delete(term=term, actor=request.user)
    messages.success(request, f"{term.abbreviation} removed from the glossary.")
    return redirect("reports:glossary", pk)
