"""The section editor: the page, its saves (the editor's autosave and typed saves answered in
JSON, or the form without the editor's script), a save refused because someone else saved first
(409, with their change and a merge), because it would drop a redaction mark or because a panel
member changed the text rather than suggesting (reports.suggesting), and the reference picker's
search. The chair and board administrators edit; the rest of the panel suggest."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from reports import data_blocks, selectors, services
from reports.forms import ReferenceSearchForm, SectionSaveForm, parsed
from reports.models import Section
from reports.permissions import references_get_for_user, section_get_for_editor
from reports.view_helpers import refused, section_url


@login_required
def section_edit(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    """GET: the editor. POST: save, from the editor's autosave (JSON back) or its form. A save
    based on an old version is refused (409) with the other person's change and a merge."""
    access, section, suggest_only = section_get_for_editor(request.user, pk, doc_pk, section_pk)
    context = {
        "access": access, "review": access.review, "document": section.document, "section": section,
        "suggest_only": suggest_only,
    }  # fmt: skip
    if request.method == "POST":
        return _save(request, section, context)
    if section.document.is_locked:
        messages.error(request, "This document is approved or published: move it back to draft to change it.")
        return redirect(section_url(section))
    return render(request, "reports/section_edit.html", _with_body(request, context, section.body))


def _with_body(request: AuthenticatedHttpRequest, context: dict, body: str) -> dict:
    """The text the editor opens with, who made each of its changes (and the person editing, who
    may make more), and the labels of its references."""
    authors = selectors.change_authors(body, also=request.user, section=context["section"])
    labels = selectors.reference_labels(context["review"], body)
    context.update(body=body, authors={str(pk): name for pk, name in authors.items()}, reference_labels=labels)
    # The data blocks the chair may insert (a panel member suggests, and data blocks are not suggested).
    offered = [] if context["suggest_only"] else data_blocks.choices(context["review"])
    context["data_blocks"] = [{"token": choice.token, "label": choice.label} for choice in offered]
    return context


def _save(request: AuthenticatedHttpRequest, section: Section, context: dict) -> HttpResponse:
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    posted = parsed(SectionSaveForm(request.POST))
    try:
        saved = services.section_save_once(
            section_id=section.pk, body=posted["body"], base_version=posted["base_version"], actor=request.user,
            save_id=posted["save_id"], autosave=posted["autosave"], unredacted=posted["unredacted"],
            suggest_only=context["suggest_only"],
        )  # fmt: skip
    except services.StaleSection as stale:
        return _conflict(request, stale, posted["body"], context, wants_json)
    except ValidationError as error:
        return _save_refused(request, context, posted["body"], error, wants_json)
    if wants_json:
        saved_at = timezone.localtime(saved.saved_at).strftime("%H:%M:%S") if saved.saved_at else ""
        return JsonResponse({"version": saved.version, "saved_at": saved_at})
    messages.success(request, f"“{section.title}” saved (version {saved.version}).")
    return redirect(section_url(section))


def _conflict(
    request: AuthenticatedHttpRequest, stale: services.StaleSection, body: str, context: dict, wants_json: bool
) -> HttpResponse:
    """Someone else saved first: their change, this person's, and the two merged."""
    try:
        conflict = services.section_conflict(stale=stale, body=body, suggest_only=context["suggest_only"])
    except ValidationError as error:
        return _save_refused(request, context, body, error, wants_json)
    if wants_json:
        panel = render_to_string("reports/snippets/conflict.html", vars(conflict), request=request)
        return JsonResponse(
            {"conflict": panel, "merged": conflict.merged.html, "version": conflict.section.version}, status=409
        )
    context.update(section=conflict.section, conflict=conflict, suggestions_not_merged=conflict.suggestions_not_merged)
    return render(request, "reports/section_edit.html", _with_body(request, context, conflict.merged.html), status=409)


def _save_refused(
    request: AuthenticatedHttpRequest, context: dict, body: str, error: ValidationError, wants_json: bool
) -> HttpResponse:
    # A redaction mark taken off: the passages, for the person to confirm they meant it (never a
    # panel member's to confirm: services.section_save).
    passages = error.passages if isinstance(error, services.RedactionDropped) else []
    dropped = [] if context["suggest_only"] else [passage.text for passage in passages]
    if wants_json:
        return JsonResponse({"error": " ".join(error.messages), "unredacted": dropped}, status=400)
    refused(request, error)
    context.update(dropped=dropped)
    return render(request, "reports/section_edit.html", _with_body(request, context, body), status=400)


@login_required
@require_GET
def reference_search(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Entries, IMRs and glossary terms to cite, for the editor's reference picker, and how many
    were found (into the picker's status line)."""
    access = references_get_for_user(request.user, pk)  # shows entries' words: a recorded look
    query = parsed(ReferenceSearchForm(request.GET))["q"]
    candidates = selectors.reference_candidates(access.review, query)
    # Only this count is announced after a pause in typing, not the whole list again.
    found = sum(len(rows) for rows in candidates.values())
    context = {"review": access.review, "query": query, "found": found, **candidates}
    return render(request, "reports/snippets/reference_results.html", context)
