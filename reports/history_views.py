"""A section's history: its versions (runs of autosaves as one line), two of them compared, and
an old version restored as the newest."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from reports import selectors, services
from reports.forms import HistoryCompareForm, RevisionRestoreForm, parsed
from reports.permissions import revision_get_for_user, section_get_for_user
from reports.view_helpers import refused
from reviews.audit import audit_view


@login_required
@require_GET
def section_history(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    access, section = section_get_for_user(request.user, pk, doc_pk, section_pk)
    audit_view(actor=request.user, action="section.history_viewed", obj=section, review=access.review)
    history = selectors.section_history(section)
    wanted = parsed(HistoryCompareForm(request.GET))["wanted"]
    context = {
        "access": access,
        "review": access.review,
        "document": section.document,
        "section": section,
        "history": history,
        "comparison": selectors.section_comparison(section, history, wanted),
        "can_edit": access.can_manage and not section.document.is_locked,
    }
    return render(request, "reports/section_history.html", context)


@login_required
@require_POST
def revision_restore(
    request: AuthenticatedHttpRequest, pk: int, doc_pk: int, section_pk: int, revision_pk: int
) -> HttpResponse:
    _access, section, revision = revision_get_for_user(request.user, pk, doc_pk, section_pk, revision_pk, write=True)
    try:
        posted = parsed(RevisionRestoreForm(request.POST))
        section = services.section_restore(
            section=section, revision=revision, base_version=posted["base_version"], actor=request.user
        )
        kept = " Passages redacted since then are still redacted." if section.body != revision.body else ""
        messages.success(request, f"Version {revision.version} restored as version {section.version}.{kept}")
    except services.StaleSection as stale:
        messages.error(request, f"Nothing was restored: {stale} Look at the latest version, then restore again.")
    except ValidationError as error:
        refused(request, error)
    return redirect("reports:section_history", pk, doc_pk, section_pk)
