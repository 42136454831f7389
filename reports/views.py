"""Document pages: the documents of a review, a document's outline and status, a section to
read, comment on and suggest changes to, the section editor, history, preview and glossary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from reports import selectors, services
from reports.compose import document_compose, section_readable
from reports.diff import diff_rows, has_changes, merge
from reports.models import Comment, Document, SectionRevision, Suggestion
from reports.permissions import (
    comment_get_for_user,
    document_get_for_user,
    glossary_term_get_for_user,
    references_get_for_user,
    reports_get_for_user,
    revision_get_for_user,
    section_get_for_user,
    suggestion_get_for_user,
)
from reports.publication_check import publication_check
from reviews.audit import audit_view


def _error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _int(value: str | None, default: int = -1) -> int:
    try:
        return int(value or "")
    except ValueError:
        return default


def _section_url(section) -> str:
    document = section.document
    return reverse("reports:section", args=[document.review_id, document.pk, section.pk])


@login_required
@require_GET
def document_list(request: HttpRequest, pk: int) -> HttpResponse:
    access = reports_get_for_user(request.user, pk)
    documents = selectors.documents_for_review(access.review)
    context = {
        "access": access,
        "review": access.review,
        "documents": [(kind, label, documents.get(kind)) for kind, label in Document.Kind.choices],
        "missing": selectors.abbreviations_missing(access.review),
    }
    return render(request, "reports/document_list.html", context)


@login_required
@require_POST
def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    access = reports_get_for_user(request.user, pk, write=True)
    try:
        document = services.document_create(review=access.review, kind=request.POST.get("kind", ""), actor=request.user)
    except ValidationError as error:
        _error(request, error)
        return redirect("reports:documents", pk)
    messages.success(request, f"The {document.get_kind_display().lower()} is ready with its sections.")
    return redirect("reports:document", pk, document.pk)


@login_required
@require_GET
def document_detail(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    access, document = document_get_for_user(request.user, pk, doc_pk)
    context = {
        "access": access,
        "review": access.review,
        "document": document,
        "sections": selectors.sections_outline(document),
        "status_changes": document.status_changes.select_related("changed_by")[:20],
        "next_statuses": [(value, Document.Status(value).label) for value in document.next_statuses()],
        "numberings": Document.Numbering.choices,
        "can_edit": access.can_manage and not document.is_locked,
    }
    return render(request, "reports/document_detail.html", context)


@login_required
@require_POST
def document_numbering(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    access, document = document_get_for_user(request.user, pk, doc_pk, write=True)
    try:
        services.document_numbering_set(
            document=document, numbering=request.POST.get("numbering", ""), actor=request.user
        )
        messages.success(request, f"Paragraphs are numbered {document.get_numbering_display().lower()}.")
    except ValidationError as error:
        _error(request, error)
    return redirect("reports:document", pk, doc_pk)


@login_required
@require_POST
def document_status(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    access, document = document_get_for_user(request.user, pk, doc_pk, write=True)
    try:
        document = services.document_status_change(
            document=document, to_status=request.POST.get("status", ""), actor=request.user,
            note=request.POST.get("note", "").strip(),
        )  # fmt: skip
        messages.success(request, f"The {document.get_kind_display().lower()} is now: {document.get_status_display()}.")
    except ValidationError as error:
        _error(request, error)
    return redirect("reports:document", pk, doc_pk)


@login_required
@require_POST
def section_add(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    access, document = document_get_for_user(request.user, pk, doc_pk, write=True)
    after = document.sections.filter(pk=_int(request.POST.get("after"))).first()
    try:
        section = services.section_add(
            document=document, title=request.POST.get("title", ""), actor=request.user, after=after
        )
    except ValidationError as error:
        _error(request, error)
        return redirect("reports:document", pk, doc_pk)
    messages.success(request, f"Section “{section.title}” added.")
    return redirect("reports:document", pk, doc_pk)


@login_required
@require_POST
def section_rename(request: HttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    access, section = section_get_for_user(request.user, pk, doc_pk, section_pk, write=True)
    try:
        services.section_rename(section=section, title=request.POST.get("title", ""), actor=request.user)
        messages.success(request, f"Section renamed “{section.title}”.")
    except ValidationError as error:
        _error(request, error)
    return redirect("reports:document", pk, doc_pk)


@login_required
@require_POST
def section_move(request: HttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    access, section = section_get_for_user(request.user, pk, doc_pk, section_pk, write=True)
    try:
        services.section_move(section=section, direction=request.POST.get("direction", ""), actor=request.user)
    except ValidationError as error:
        _error(request, error)
    return redirect(reverse("reports:document", args=[pk, doc_pk]) + f"#section-{section_pk}")


@login_required
@require_POST
def section_remove(request: HttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    access, section = section_get_for_user(request.user, pk, doc_pk, section_pk, write=True)
    if request.POST.get("confirm") != section.title:
        messages.error(request, f"To remove “{section.title}”, type its title exactly to confirm.")
        return redirect("reports:document", pk, doc_pk)
    try:
        services.section_remove(section=section, actor=request.user)
        messages.success(request, f"Section “{section.title}” removed. Its last text is kept in the audit trail.")
    except ValidationError as error:
        _error(request, error)
    return redirect("reports:document", pk, doc_pk)


@login_required
@require_GET
def section_detail(request: HttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    access, section = section_get_for_user(request.user, pk, doc_pk, section_pk)
    suggestions = list(section.suggestions.filter(status=Suggestion.Status.OPEN).select_related("author"))
    blocks, footnotes = section_readable(section)
    audit_view(actor=request.user, action="section.viewed", obj=section, review=access.review)
    for suggestion in suggestions:
        suggestion.rows = diff_rows(suggestion.original, suggestion.proposed)
    context = {
        "access": access,
        "review": access.review,
        "document": section.document,
        "section": section,
        "blocks": blocks,
        "footnotes": footnotes,
        "threads": selectors.comment_threads(section),
        "suggestions": suggestions,
        "can_edit": access.can_manage and not section.document.is_locked,
        "can_suggest": not section.document.is_locked,
    }
    return render(request, "reports/section_detail.html", context)


def _conflict_context(section, base_version: int, mine: str) -> dict:
    """What the person whose save was refused needs: what the other person changed, what they
    themselves changed, and the two merged (conflicting paragraphs kept twice, marked)."""
    base = SectionRevision.objects.filter(section=section, version=base_version).first()
    base_body = base.body if base else ""
    mine = services.section_text_clean(mine, title=section.title)
    merged = merge(base_body, section.body, mine)
    return {
        "section": section,
        "theirs_rows": diff_rows(base_body, section.body),
        "mine_rows": diff_rows(base_body, mine),
        "merged": merged,
        "mine": mine,
    }


def _save_refused(request: HttpRequest, context: dict, body: str, error: ValidationError, wants_json: bool):
    # A redaction mark taken off: the passages, for the person to confirm they meant it.
    dropped = [passage.text for passage in error.passages] if isinstance(error, services.RedactionDropped) else []
    if wants_json:
        return JsonResponse({"error": " ".join(error.messages), "unredacted": dropped}, status=400)
    _error(request, error)
    context.update(body=body, dropped=dropped)
    return render(request, "reports/section_edit.html", context, status=400)


@login_required
def section_edit(request: HttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    """GET: the editor. POST: save, from the editor's autosave (JSON back) or its form. A save
    based on an old version is refused (409) with the other person's change and a merge."""
    access, section = section_get_for_user(request.user, pk, doc_pk, section_pk, write=True)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    context = {"access": access, "review": access.review, "document": section.document, "section": section}
    if request.method == "POST":
        body = request.POST.get("body", "")
        base_version = _int(request.POST.get("base_version"))
        try:
            saved = services.section_save_once(
                section_id=section.pk, body=body, base_version=base_version, actor=request.user,
                save_id=request.POST.get("save_id", ""), autosave=request.POST.get("autosave") == "1",
                unredacted=request.POST.getlist("unredacted"),
            )  # fmt: skip
        except services.StaleSection as stale:
            try:
                conflict = _conflict_context(stale.section, base_version, body)
            except ValidationError as error:
                return _save_refused(request, context, body, error, wants_json)
            if wants_json:
                panel = render_to_string("reports/snippets/conflict.html", conflict, request=request)
                return JsonResponse(
                    {"conflict": panel, "merged": conflict["merged"].html, "version": stale.section.version},
                    status=409,
                )
            context.update(section=stale.section, conflict=conflict, body=conflict["merged"].html)
            return render(request, "reports/section_edit.html", context, status=409)
        except ValidationError as error:
            return _save_refused(request, context, body, error, wants_json)
        if wants_json:
            saved_at = timezone.localtime(saved.saved_at).strftime("%H:%M:%S") if saved.saved_at else ""
            return JsonResponse({"version": saved.version, "saved_at": saved_at})
        messages.success(request, f"“{section.title}” saved (version {saved.version}).")
        return redirect(_section_url(section))
    if section.document.is_locked:
        messages.error(request, "This document is approved or published: move it back to draft to change it.")
        return redirect(_section_url(section))
    context.update(body=section.body)
    return render(request, "reports/section_edit.html", context)


def _revision_pk(value: str | None) -> int:
    """A revision asked for in the query string; anything that cannot be one (a word, a number
    too large for the column) is none, so the page shows no comparison rather than failing."""
    pk = _int(value)
    return pk if 0 < pk < 2**63 else -1


@login_required
@require_GET
def section_history(request: HttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    access, section = section_get_for_user(request.user, pk, doc_pk, section_pk)
    audit_view(actor=request.user, action="section.history_viewed", obj=section, review=access.review)
    history = selectors.section_history(section)
    wanted = [_revision_pk(request.GET.get("a")), _revision_pk(request.GET.get("b"))]
    if "a" not in request.GET and len(history) >= 2:
        # Opening the history shows what the latest save changed.
        wanted = [history[1].revision.pk, history[0].revision.pk]
    revisions = {r.pk: r for r in section.revisions.select_related("author").filter(pk__in=wanted)}
    older, newer = revisions.get(wanted[0]), revisions.get(wanted[1])
    comparison = None
    if older and newer:
        if older.version > newer.version:
            older, newer = newer, older
        rows = diff_rows(older.body, newer.body)
        comparison = {"older": older, "newer": newer, "rows": rows, "changed": has_changes(rows)}
    context = {
        "access": access,
        "review": access.review,
        "document": section.document,
        "section": section,
        "history": history,
        "comparison": comparison,
        "can_edit": access.can_manage and not section.document.is_locked,
    }
    return render(request, "reports/section_history.html", context)


@login_required
@require_POST
def revision_restore(request: HttpRequest, pk: int, doc_pk: int, section_pk: int, revision_pk: int) -> HttpResponse:
    access, section, revision = revision_get_for_user(request.user, pk, doc_pk, section_pk, revision_pk, write=True)
    try:
        section = services.section_restore(
            section=section, revision=revision, base_version=_int(request.POST.get("base_version")), actor=request.user
        )
        kept = " Passages redacted since then are still redacted." if section.body != revision.body else ""
        messages.success(request, f"Version {revision.version} restored as version {section.version}.{kept}")
    except services.StaleSection as stale:
        messages.error(request, f"Nothing was restored: {stale} Look at the latest version, then restore again.")
    except ValidationError as error:
        _error(request, error)
    return redirect("reports:section_history", pk, doc_pk, section_pk)


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    access, section = section_get_for_user(request.user, pk, doc_pk, section_pk, discuss=True)
    parent = Comment.objects.filter(section=section, pk=_int(request.POST.get("parent"))).first()
    try:
        comment = services.comment_add(
            section=section, actor=request.user, text=request.POST.get("text", ""),
            quote=request.POST.get("quote", ""), parent=parent,
        )  # fmt: skip
        messages.success(request, "Reply posted." if parent else "Comment posted.")
        return redirect(_section_url(section) + f"#comment-{comment.parent_id or comment.pk}")
    except ValidationError as error:
        _error(request, error)
    return redirect(_section_url(section) + "#comments")


@login_required
@require_POST
def comment_resolve(request: HttpRequest, pk: int, doc_pk: int, section_pk: int, comment_pk: int) -> HttpResponse:
    access, section, comment = comment_get_for_user(request.user, pk, doc_pk, section_pk, comment_pk, resolve=True)
    try:
        services.comment_resolve(comment=comment, actor=request.user, resolved=request.POST.get("resolved") != "0")
    except ValidationError as error:
        _error(request, error)
    return redirect(_section_url(section) + f"#comment-{comment.pk}")


@login_required
@require_POST
def suggestion_add(request: HttpRequest, pk: int, doc_pk: int, section_pk: int) -> HttpResponse:
    access, section = section_get_for_user(request.user, pk, doc_pk, section_pk, discuss=True)
    try:
        services.suggestion_add(
            section=section, actor=request.user, paragraph=_int(request.POST.get("paragraph")),
            proposed=request.POST.get("proposed", ""), reason=request.POST.get("reason", ""),
        )  # fmt: skip
        messages.success(request, "Suggestion sent to the chair.")
    except ValidationError as error:
        _error(request, error)
    return redirect(_section_url(section) + "#suggestions")


@login_required
@require_POST
def suggestion_decide(request: HttpRequest, pk: int, doc_pk: int, section_pk: int, suggestion_pk: int) -> HttpResponse:
    access, section, suggestion = suggestion_get_for_user(
        request.user, pk, doc_pk, section_pk, suggestion_pk, decide=True
    )
    accept = request.POST.get("decision") == "accept"
    try:
        services.suggestion_decide(suggestion=suggestion, actor=request.user, accept=accept)
        messages.success(
            request, "Suggestion accepted: the paragraph is changed." if accept else "Suggestion rejected."
        )
    except ValidationError as error:
        _error(request, error)
    return redirect(_section_url(section) + "#suggestions")


@login_required
@require_GET
def document_preview(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """The document as it will read: the panel version (names, redactions highlighted) or the
    publication version (designations, "[Redacted]"), with what would stop publication."""
    access, document = document_get_for_user(request.user, pk, doc_pk)
    publication = request.GET.get("version") == "publication"
    # The publication version is made exactly as a render makes it (reports.publication_check,
    # through the one publication pipeline), so the preview and the files never disagree.
    check = publication_check(document) if publication else None
    composed = check.data.composed if check else document_compose(document)
    audit_view(
        actor=request.user, action="document.preview_viewed", obj=document, review=access.review,
        detail={"version": "publication" if publication else "panel"},
    )  # fmt: skip
    context = {
        "access": access, "review": access.review, "document": document, "composed": composed, "check": check,
        "findings": check.rows if check else [], "acknowledgements": check.acknowledgements if check else [],
    }  # fmt: skip
    return render(request, "reports/document_preview.html", context)


@login_required
def glossary(request: HttpRequest, pk: int) -> HttpResponse:
    access = reports_get_for_user(request.user, pk, write=request.method == "POST")
    if request.method == "POST":
        try:
            if request.POST.get("lines"):
                count = services.glossary_terms_import(
                    review=access.review, text=request.POST["lines"], actor=request.user
                )
                messages.success(request, f"{count} glossary term{'s' if count != 1 else ''} saved.")
            else:
                term = services.glossary_term_save(
                    review=access.review, abbreviation=request.POST.get("abbreviation", ""),
                    expansion=request.POST.get("expansion", ""), actor=request.user,
                )  # fmt: skip
                messages.success(request, f"{term.abbreviation} saved.")
        except ValidationError as error:
            _error(request, error)
        return redirect("reports:glossary", pk)
    context = {
        "access": access,
        "review": access.review,
        "terms": access.review.glossary_terms.all(),
        "missing": selectors.abbreviations_missing(access.review),
    }
    return render(request, "reports/glossary.html", context)


@login_required
@require_POST
def glossary_delete(request: HttpRequest, pk: int, term_pk: int) -> HttpResponse:
    access, term = glossary_term_get_for_user(request.user, pk, term_pk, write=True)
    services.glossary_term_delete(term=term, actor=request.user)
    messages.success(request, f"{term.abbreviation} removed from the glossary.")
    return redirect("reports:glossary", pk)


@login_required
@require_GET
def reference_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Entries, IMRs and glossary terms to cite, for the editor's reference picker."""
    access = references_get_for_user(request.user, pk)  # shows entries' words: a recorded look
    query = request.GET.get("q", "").strip()
    context = {"review": access.review, "query": query, **selectors.reference_candidates(access.review, query)}
    return render(request, "reports/snippets/reference_results.html", context)
