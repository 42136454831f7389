"""The integrated chronology pages: the timeline and table with filters, building versions,
the chair's decisions on suggested links, key episodes, comparing versions, the timeline
picture and the publication check. Its exports' pages are chronology.exports.views."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from casereview.job_status import job_status_response
from casereview.querystrings import query_without_page
from chronology.exports import selectors as export_selectors
from chronology.exports.forms import ExportForm
from chronology.integrated import selectors, services
from chronology.integrated.forms import BuildForm, EpisodeForm, FilterForm
from chronology.models import LinkDecision, LinkKind
from chronology.permissions import (
    entry_publication_decision_for,
    integrated_build_for,
    integrated_shown_for,
    integrated_version_for,
    integrated_versions_for,
    key_episode_for,
    suggested_link_for,
    version_number,
)
from reviews import publication_services
from reviews.audit import audit_view
from reviews.forms import form_add_service_errors
from reviews.permissions import integrated_get_for_user

# What the suggested-links page filters by: a decision, or none yet.
LINK_STATUSES = ("suggested", *LinkDecision.Status.values)


@login_required
def integrated_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access, chronology = integrated_shown_for(request.user, pk, request.GET.get("v"))
    review = access.review
    context = {
        "access": access,
        "review": review,
        "chronology": chronology,
        "latest_build": selectors.build_latest(review),
        "build_form": BuildForm(),
        "export_form": ExportForm(),
        "versions": selectors.versions_built(review),
    }
    if chronology is not None:
        # The access helper recorded the look at the review's integrated chronology; this says which version.
        audit_view(
            actor=request.user, action="integrated_chronology.version_viewed", obj=chronology, review=review,
            object_repr=f"Integrated chronology v{chronology.version}", detail={"version": chronology.version},
        )  # fmt: skip
        form = FilterForm(request.GET or None, review=review, chronology=chronology)
        filters = form.cleaned_data if form.is_valid() else {}
        page = selectors.entries_page(chronology, filters, number=request.GET.get("page"))
        names = filters.get("names") or "designations"
        context.update(
            form=form,
            page=page,
            rows=selectors.page_rows(chronology, list(page.object_list), names=names, filters=filters),
            names=names,
            filtered=any(value not in (None, "", False) for key, value in filters.items() if key != "names"),
            query=query_without_page(request.GET),
            exports=export_selectors.exports_latest(chronology),
            timeline_fingerprint=selectors.timeline_fingerprint(chronology),
        )
    return render(request, "chronology/integrated.html", context)


@require_POST
@login_required
def build_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk, write=True)
    form = BuildForm(request.POST)
    include_submitted = form.is_valid() and form.cleaned_data["include_submitted"]
    chronology = services.integrated_request(
        actor=request.user, review=access.review, include_submitted=include_submitted
    )
    messages.success(request, f"Building version {chronology.version}. This page shows its progress.")
    return redirect("chronology:integrated", pk)


@login_required
def build_status(request: AuthenticatedHttpRequest, pk: int, build_pk: int) -> HttpResponse:
    access, build = integrated_build_for(request.user, pk, build_pk)
    context = {"access": access, "review": access.review, "latest_build": build}
    return job_status_response(request, build, template="chronology/snippets/build_status_region.html", context=context)


@require_POST
@login_required
def build_retry(request: AuthenticatedHttpRequest, pk: int, build_pk: int) -> HttpResponse:
    _access, build = integrated_build_for(request.user, pk, build_pk, write=True)
    if services.integrated_retry(actor=request.user, chronology=build):
        messages.success(request, f"Version {build.version} queued again.")
    else:
        build.refresh_from_db()
        messages.info(
            request, f"Version {build.version} was not tried again: it is {build.get_status_display().lower()}, "
            "and only the latest version, once it has failed, is tried again."
        )  # fmt: skip
    return redirect("chronology:integrated", pk)


@login_required
def links(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access, chronology = integrated_shown_for(request.user, pk, request.GET.get("v"))
    if chronology is None:
        raise Http404("No built version")
    # The filters as the page offers them; anything else (a NUL, which PostgreSQL refuses) is no filter.
    kind = request.GET.get("kind", "") if request.GET.get("kind") in LinkKind.values else ""
    status = request.GET.get("status", "") if request.GET.get("status") in LINK_STATUSES else ""
    # Counted, filtered and cut to the page by the database; only the page's entries are read.
    page = selectors.links_page(chronology, kind=kind, status=status, number=request.GET.get("page"))
    page.object_list = selectors.link_pairs(
        chronology, list(page.object_list), names=request.GET.get("names", "designations")
    )
    context = {
        "access": access,
        "review": access.review,
        "chronology": chronology,
        "page": page,
        "kind": kind,
        "status": status,
        "query": query_without_page(request.GET),
    }
    return render(request, "chronology/links.html", context)


@require_POST
@login_required
def link_decide(request: AuthenticatedHttpRequest, pk: int, link_pk: int) -> HttpResponse:
    access, link = suggested_link_for(request.user, pk, link_pk, write=True)
    try:
        services.link_decide(actor=request.user, review=access.review, link=link, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        verb = "confirmed" if request.POST.get("status") == LinkDecision.Status.CONFIRMED else "dismissed"
        messages.success(request, f"{link.get_kind_display()} between entries {link.seq_a} and {link.seq_b} {verb}.")
    back = request.POST.get("next", "")
    return redirect(
        back if back.startswith(reverse("chronology:links", args=[pk])) else reverse("chronology:links", args=[pk])
    )


@login_required
def episodes(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk, write=request.method == "POST")
    form = EpisodeForm(request.POST or None) if access.can_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            episode = services.episode_add(actor=request.user, review=access.review, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Episode \u201c{episode.title}\u201d added.")
            return redirect("chronology:episodes", pk)
    context = {
        "access": access,
        "review": access.review,
        "episodes": selectors.key_episodes(access.review),
        "form": form,
    }
    return render(request, "chronology/episodes.html", context)


@require_POST
@login_required
def episode_delete(request: AuthenticatedHttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    _access, episode = key_episode_for(request.user, pk, episode_pk, write=True)
    services.episode_remove(actor=request.user, episode=episode)
    messages.success(request, f"Episode \u201c{episode.title}\u201d removed.")
    return redirect("chronology:episodes", pk)


@login_required
def compare(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    old_number, new_number = version_number(request.GET.get("from")), version_number(request.GET.get("to"))
    if old_number is None or new_number is None:
        integrated_get_for_user(request.user, pk)  # someone who may not see the review is told nothing more (404)
        return HttpResponseBadRequest("Choose two built versions by their numbers, such as ?from=1&to=2.")
    access, old, new = integrated_versions_for(request.user, pk, old_number, new_number)
    context = {
        "access": access,
        "review": access.review,
        "old": old,
        "new": new,
        "changes": selectors.version_changes(old, new),
    }
    return render(request, "chronology/compare.html", context)


# The picture is ours, drawn from escaped text, with no script and no style; still, opened on its
# own it may do nothing but show itself.
TIMELINE_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Private: it is the panel's. The page asks for it by its fingerprint (?d=), so a redrawn picture
# has a new address and a kept copy is never shown for long.
TIMELINE_CACHE = "private, max-age=3600"


@login_required
def timeline(request: AuthenticatedHttpRequest, pk: int, version: int) -> HttpResponse:
    """A version's timeline picture (SVG), which the page shows as an image: at 40,000 entries it
    is 3.5 MB, that the page no longer carries in every load, filter and poll. Answers 304 to a
    browser that holds this drawing (its ETag is the version's id and the drawing's MD5)."""
    _access, chronology = integrated_version_for(request.user, pk, version)
    fingerprint = selectors.timeline_fingerprint(chronology)
    if not fingerprint:
        raise Http404("This version has no timeline")
    response = get_conditional_response(request, etag=f'"{chronology.pk}-{fingerprint}"')
    if response is None:
        svg = selectors.timeline_picture(chronology)
        # Hashed again from what is sent, in case it was drawn again in between.
        fingerprint = hashlib.md5(svg.encode()).hexdigest()  # noqa: S324 (a fingerprint, not a secret)
        response = HttpResponse(svg, content_type="image/svg+xml")
    response["ETag"] = f'"{chronology.pk}-{fingerprint}"'
    response["Cache-Control"] = TIMELINE_CACHE
    response["Content-Security-Policy"] = TIMELINE_POLICY
    return response


@login_required
def publication_check(request: AuthenticatedHttpRequest, pk: int, version: int) -> HttpResponse:
    """What would block a designations export of this version, entry by entry and field by
    field, with the chair's decisions: redact the field, confirm a name as the person,
    acknowledge a finding as not identifying."""
    access, chronology = integrated_version_for(request.user, pk, version)
    run = selectors.publication_check(chronology)
    audit_view(
        actor=request.user, action="integrated_chronology.publication_check_viewed", obj=access.review,
        review=access.review, object_repr="Integrated chronology publication check",
        detail={"version": chronology.version},
    )  # fmt: skip
    context = {
        "access": access, "review": access.review, "chronology": chronology,
        "rows": [selectors.EntryFinding(finding) for finding in run.blocking],
        "decisions": selectors.entry_publication_decisions(access.review),
    }  # fmt: skip
    return render(request, "chronology/publication_check.html", context)


@require_POST
@login_required
def publication_decide(request: AuthenticatedHttpRequest, pk: int, version: int) -> HttpResponse:
    access, chronology = integrated_version_for(request.user, pk, version, write=True)
    back = reverse("chronology:publication_check", args=[pk, version])
    decide, done = publication_services.DECISIONS.get(request.POST.get("decision", ""), (None, ""))
    # Never the key as posted: the finding is looked up again in a run of the version as it is.
    key = request.POST.get("key")
    finding = next((f for f in selectors.publication_check(chronology).blocking if f.key == key), None)
    if decide is None or finding is None:
        messages.error(request, "That finding is no longer there: the text changed. This is the check as it stands.")
        return redirect(back)
    try:
        decide(review=access.review, finding=finding, reason=request.POST.get("reason", ""), actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{done}: {finding.where.label}.")
    return redirect(back)


@require_POST
@login_required
def publication_decision_withdraw(
    request: AuthenticatedHttpRequest, pk: int, version: int, decision_pk: int
) -> HttpResponse:
    _access, chronology, decision = entry_publication_decision_for(request.user, pk, version, decision_pk)
    publication_services.publication_decision_withdraw(decision=decision, actor=request.user)
    messages.success(request, f"{decision.get_kind_display()} withdrawn: {decision.where}.")
    return redirect("chronology:publication_check", pk, version)
