"""Section pages: a section to read (its text as accepted, with its comment threads), and the
outline's changes to it: adding, renaming, moving and removing a section."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from reports import richtext, selectors, services
from reports.forms import SectionAddForm, SectionMoveForm, SectionRemoveForm, SectionTitleForm, parsed
from reports.permissions import document_get_for_user, section_get_for_user
from reports.view_helpers import refused
from reviews.audit import audit_view


@login_required
@require_GET
def section_detail(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    access, section = section_get_for_user(request.user, pk, doc_pk, section_pk)
    blocks, footnotes = selectors.section_readable(section)
    audit_view(actor=request.user, action="section.viewed", obj=section, review=access.review)
    context = {
        "access": access,
        "review": access.review,
        "document": section.document,
        "section": section,
        "blocks": blocks,
        "footnotes": footnotes,
        "threads": selectors.comment_threads(section),
        # The text shown is as accepted; the changes suggested are reviewed in the editor.
        "suggested": richtext.has_pending(section.body),
        "can_edit": access.can_manage and not section.document.is_locked,
        "can_suggest": access.can_discuss and not access.can_manage and not section.document.is_locked,
    }
    return render(request, "reports/section_detail.html", context)


@login_required
@require_POST
def section_add(request: AuthenticatedHttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    _access, document = document_get_for_user(request.user, pk, doc_pk, write=True)
    try:
        posted = parsed(SectionAddForm(request.POST))
        after = selectors.document_section(document, posted["after"])
        section = services.section_add(document=document, title=posted["title"], actor=request.user, after=after)
    except ValidationError as error:
        refused(request, error)
        return redirect("reports:document", pk, doc_pk)
    messages.success(request, f"Section “{section.title}” added.")
    return redirect("reports:document", pk, doc_pk)


@login_required
@require_POST
def section_rename(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    _access, section = section_get_for_user(request.user, pk, doc_pk, section_pk, write=True)
    try:
        posted = parsed(SectionTitleForm(request.POST))
        services.section_rename(section=section, title=posted["title"], actor=request.user)
        messages.success(request, f"Section renamed “{section.title}”.")
    except ValidationError as error:
        refused(request, error)
    return redirect("reports:document", pk, doc_pk)


@login_required
@require_POST
def section_move(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    _access, section = section_get_for_user(request.user, pk, doc_pk, section_pk, write=True)
    try:
        posted = parsed(SectionMoveForm(request.POST))
        services.section_move(section=section, direction=posted["direction"], actor=request.user)
    except ValidationError as error:
        refused(request, error)
    return redirect(reverse("reports:document", args=[pk, doc_pk]) + f"#section-{section_pk}")


@login_required
@require_POST
def section_remove(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    _access, section = section_get_for_user(request.user, pk, doc_pk, section_pk, write=True)
    try:
        parsed(SectionRemoveForm(request.POST, title=section.title))
        services.section_remove(section=section, actor=request.user)
        messages.success(request, f"Section “{section.title}” removed. Its last text is kept in the audit trail.")
    except ValidationError as error:
        refused(request, error)
    return redirect("reports:document", pk, doc_pk)
