"""The panel's discussion of a section: comments (on the section, on a passage quoted, or
pinned to a passage marked in the editor) and replies, and resolving a thread."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from reports import discussion_services, selectors
from reports.forms import CommentForm, CommentResolveForm, parsed
from reports.permissions import comment_get_for_user, section_get_for_user
from reports.view_helpers import refused, section_url


@login_required
@require_POST
def comment_add(request: AuthenticatedHttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    """From the reading page (a redirect back to the thread) or the editor's comment on a
    passage (JSON back, so the text being edited stays as it is)."""
    _access, section = section_get_for_user(request.user, pk, doc_pk, section_pk, discuss=True)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    posted = parsed(CommentForm(request.POST))
    parent = selectors.section_comment(section, posted["parent"])
    try:
        comment = discussion_services.comment_add(
            section=section, actor=request.user, text=posted["text"], quote=posted["quote"], parent=parent,
            anchor=posted["anchor"],
        )  # fmt: skip
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        refused(request, error)
        return redirect(section_url(section, "comments"))
    if wants_json:
        anchor = str(comment.anchor) if comment.anchor else ""
        return JsonResponse({"comment": comment.pk, "quote": comment.quote, "anchor": anchor})
    messages.success(request, "Reply posted." if parent else "Comment posted.")
    return redirect(section_url(section, f"comment-{comment.parent_id or comment.pk}"))


@login_required
@require_POST
def comment_resolve(
    request: AuthenticatedHttpRequest, pk: int, doc_pk: int, section_pk: int, comment_pk: int
) -> HttpResponse:
    _access, section, comment = comment_get_for_user(request.user, pk, doc_pk, section_pk, comment_pk, resolve=True)
    try:
        resolved = parsed(CommentResolveForm(request.POST))["resolved"]
        discussion_services.comment_resolve(comment=comment, actor=request.user, resolved=resolved)
    except ValidationError as error:
        refused(request, error)
    return redirect(section_url(section, f"comment-{comment.pk}"))
