"""The integrated chronology pages: the timeline and table with filters, building versions,
the chair's decisions on suggested links, key episodes, comparing versions and exports."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_POST

from casereview.downloads import DownloadAudit, download_response
from casereview.job_status import job_status_response
from chronology import exports_service, integrated
from chronology import integrated_selectors as selectors
from chronology.forms_integrated import BuildForm, EpisodeForm, ExportForm, FilterForm
from chronology.models import (
    ChronologyExport,
    IntegratedChronology,
    KeyEpisode,
    LinkDecision,
    LinkKind,
    SuggestedLink,
)
from reviews import publication_services
from reviews.audit import audit_view
from reviews.forms import form_add_service_errors
from reviews.permissions import integrated_get_for_user

PAGE_SIZE = 100
# What the suggested-links page filters by: a decision, or none yet.
LINK_STATUSES = ("suggested", *LinkDecision.Status.values)


def _is_version(value: str) -> bool:
    """A version number as typed in a query string: ASCII digits ("²" is a digit to Python, not
    to int()), short enough for the column."""
    return value.isascii() and value.isdigit() and len(value) < 10


def _chronology_or_404(access, version: str | None) -> IntegratedChronology | None:
    # Without the timeline picture: the page links to it (timeline) rather than holding it.
    chronologies = access.review.integrated_chronologies.filter(status=IntegratedChronology.Status.READY).defer(
        "timeline_svg"
    )
    if version:
        found = chronologies.filter(version=int(version)).first() if _is_version(version) else None
        if found is None:
            raise Http404("No such version")
        return found
    return chronologies.order_by("-version").first()


@login_required
def integrated_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk)
    review = access.review
    chronology = _chronology_or_404(access, request.GET.get("v"))
    # Other versions without their timeline pictures: each is megabytes on a large chronology.
    others = review.integrated_chronologies.defer("timeline_svg")
    latest_build = others.order_by("-version").first()
    context = {
        "access": access,
        "review": review,
        "chronology": chronology,
        "latest_build": latest_build,
        "build_form": BuildForm(),
        "export_form": ExportForm(),
        "versions": others.filter(status=IntegratedChronology.Status.READY).order_by("-version"),
    }
    if chronology is not None:
        # The access helper recorded the look at the review's integrated chronology; this says which version.
        audit_view(
            actor=request.user, action="integrated_chronology.version_viewed", obj=chronology, review=review,
            object_repr=f"Integrated chronology v{chronology.version}", detail={"version": chronology.version},
        )  # fmt: skip
        form = FilterForm(request.GET or None, review=review, chronology=chronology)
        filters = form.cleaned_data if form.is_valid() else {}
        entries = selectors.entries_filtered(chronology, filters)
        paginator = Paginator(entries, PAGE_SIZE)
        if not selectors.filters_narrow(filters):
            paginator.count = chronology.entry_count  # counted by the build: no COUNT over every entry
        page = paginator.get_page(request.GET.get("page"))
        names = filters.get("names") or "designations"
        context.update(
            form=form,
            page=page,
            rows=selectors.page_rows(chronology, list(page.object_list), names=names, filters=filters),
            names=names,
            filtered=any(value not in (None, "", False) for key, value in filters.items() if key != "names"),
            query=selectors.query_without_page(request.GET),
            exports=_exports_shown(chronology),
            timeline_fingerprint=selectors.timeline_fingerprint(chronology),
        )
    return render(request, "chronology/integrated.html", context)


def _exports_shown(chronology: IntegratedChronology) -> list[ChronologyExport]:
    """The latest exports, each marked superseded when its inputs have changed since."""
    exports = list(chronology.exports.defer("data").select_related("chronology__review").order_by("-requested_at")[:5])
    current: dict[tuple[str, str], str] = {}
    for export in exports:
        export.superseded = export.status == ChronologyExport.Status.READY and not exports_service.export_is_current(
            export, current
        )
    return exports


@require_POST
@login_required
def build_request(request: HttpRequest, pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk, write=True)
    form = BuildForm(request.POST)
    include_submitted = form.is_valid() and form.cleaned_data["include_submitted"]
    chronology = integrated.integrated_request(
        actor=request.user, review=access.review, include_submitted=include_submitted
    )
    messages.success(request, f"Building version {chronology.version}. This page shows its progress.")
    return redirect("chronology:integrated", pk)


@login_required
def build_status(request: HttpRequest, pk: int, build_pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk)
    build = access.review.integrated_chronologies.filter(pk=build_pk).first()
    if build is None:
        raise Http404("No such build")
    context = {"access": access, "review": access.review, "latest_build": build}
    return job_status_response(request, build, template="chronology/snippets/build_status_region.html", context=context)


@require_POST
@login_required
def build_retry(request: HttpRequest, pk: int, build_pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk, write=True)
    build = access.review.integrated_chronologies.filter(pk=build_pk).first()
    if build is None:
        raise Http404("No such build")
    if integrated.integrated_retry(actor=request.user, chronology=build):
        messages.success(request, f"Version {build.version} queued again.")
    else:
        build.refresh_from_db()
        messages.info(
            request, f"Version {build.version} was not tried again: it is {build.get_status_display().lower()}, "
            "and only the latest version, once it has failed, is tried again."
        )  # fmt: skip
    return redirect("chronology:integrated", pk)


@login_required
def links(request: HttpRequest, pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk)
    chronology = _chronology_or_404(access, request.GET.get("v"))
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
        "query": selectors.query_without_page(request.GET),
    }
    return render(request, "chronology/links.html", context)


@require_POST
@login_required
def link_decide(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk, write=True)
    link = SuggestedLink.objects.filter(pk=link_pk, chronology__review=access.review).first()
    if link is None:
        raise Http404("No such link")
    try:
        integrated.link_decide(
            actor=request.user, review=access.review, link=link, status=request.POST.get("status", "")
        )
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
def episodes(request: HttpRequest, pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk, write=request.method == "POST")
    form = EpisodeForm(request.POST or None) if access.can_manage else None
    if request.method == "POST" and form.is_valid():
        try:
            episode = integrated.episode_add(actor=request.user, review=access.review, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Episode \u201c{episode.title}\u201d added.")
            return redirect("chronology:episodes", pk)
    context = {"access": access, "review": access.review, "episodes": access.review.episodes.all(), "form": form}
    return render(request, "chronology/episodes.html", context)


@require_POST
@login_required
def episode_delete(request: HttpRequest, pk: int, episode_pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk, write=True)
    episode = KeyEpisode.objects.filter(review=access.review, pk=episode_pk).first()
    if episode is None:
        raise Http404("No such episode")
    integrated.episode_remove(actor=request.user, episode=episode)
    messages.success(request, f"Episode \u201c{episode.title}\u201d removed.")
    return redirect("chronology:episodes", pk)


@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk)
    ready = access.review.integrated_chronologies.filter(status=IntegratedChronology.Status.READY)
    versions = [request.GET.get("from", ""), request.GET.get("to", "")]
    if not all(_is_version(version) for version in versions):
        return HttpResponseBadRequest("Choose two built versions by their numbers, such as ?from=1&to=2.")
    old = ready.filter(version=int(versions[0])).first()
    new = ready.filter(version=int(versions[1])).first()
    if old is None or new is None:
        raise Http404("Choose two built versions")
    context = {
        "access": access,
        "review": access.review,
        "old": old,
        "new": new,
        "changes": selectors.version_changes(old, new),
    }
    return render(request, "chronology/compare.html", context)


@require_POST
@login_required
def export_request(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk)
    chronology = access.review.integrated_chronologies.filter(
        version=version, status=IntegratedChronology.Status.READY
    ).first()
    if chronology is None:
        raise Http404("No such version")
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a format and whose names to show.")
    else:
        try:
            exports_service.export_request(actor=request.user, chronology=chronology, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Export started: it appears below when it is ready.")
    return redirect(f"{reverse('chronology:integrated', args=[pk])}?v={version}#exports")


@login_required
def export_download(request: HttpRequest, pk: int, export_pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk)
    export = (
        ChronologyExport.objects.select_related("chronology__review")
        .filter(pk=export_pk, chronology__review=access.review, status=ChronologyExport.Status.READY)
        .first()
    )
    if export is None:
        raise Http404("No such export")
    if not exports_service.export_is_current(export):
        messages.error(
            request,
            f"{export.filename} is superseded: the person register, the chair's publication decisions or the key "
            "episodes have changed since it was made. Ask for the export again.",
        )
        return redirect(f"{reverse('chronology:integrated', args=[pk])}?v={export.chronology.version}#exports")
    content_types = {
        "json": "application/json",
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }
    return download_response(
        request, content=bytes(export.data), filename=export.filename, content_type=content_types[export.format],
        audit=DownloadAudit(
            action="export.downloaded", obj=export, review=access.review,
            detail={"format": export.format, "names": export.names},
        ),
    )  # fmt: skip


def _export_or_404(access, export_pk: int) -> ChronologyExport:
    export = (
        ChronologyExport.objects.defer("data")
        .select_related("chronology__review")
        .filter(pk=export_pk, chronology__review=access.review)
        .first()
    )
    if export is None:
        raise Http404("No such export")
    return export


@login_required
def export_status(request: HttpRequest, pk: int, export_pk: int) -> HttpResponse:
    """One export's status, for the page to poll while it is being made (casereview.job_status)."""
    access = integrated_get_for_user(request.user, pk)
    export = _export_or_404(access, export_pk)
    export.superseded = export.status == ChronologyExport.Status.READY and not exports_service.export_is_current(export)
    context = {"access": access, "review": access.review, "export": export}
    return job_status_response(request, export, template="chronology/snippets/export_job.html", context=context)


@require_POST
@login_required
def export_cancel(request: HttpRequest, pk: int, export_pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk)
    export = _export_or_404(access, export_pk)
    if not access.can_manage and export.requested_by_id != request.user.pk:
        raise PermissionDenied  # another member's export is theirs or the chair's to stop
    if exports_service.export_cancel(actor=request.user, export=export):
        messages.success(request, f"Cancelled: {export.label}.")
    else:
        messages.info(request, "That export was not cancelled: it had already finished.")
    return redirect(f"{reverse('chronology:integrated', args=[pk])}?v={export.chronology.version}#exports")


@require_POST
@login_required
def export_retry(request: HttpRequest, pk: int, export_pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk)
    export = _export_or_404(access, export_pk)
    exports_service.export_retry(actor=request.user, export=export)
    return redirect(f"{reverse('chronology:integrated', args=[pk])}?v={export.chronology.version}#exports")


def _version_or_404(access, version: int) -> IntegratedChronology:
    chronology = (
        access.review.integrated_chronologies.filter(version=version, status=IntegratedChronology.Status.READY)
        .defer("timeline_svg")
        .first()
    )
    if chronology is None:
        raise Http404("No such version")
    return chronology


# The picture is ours, drawn from escaped text, with no script and no style; still, opened on its
# own it may do nothing but show itself.
TIMELINE_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Private: it is the panel's. The page asks for it by its fingerprint (?d=), so a redrawn picture
# has a new address and a kept copy is never shown for long.
TIMELINE_CACHE = "private, max-age=3600"


@login_required
def timeline(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """A version's timeline picture (SVG), which the page shows as an image: at 40,000 entries it
    is 3.5 MB, that the page no longer carries in every load, filter and poll. Answers 304 to a
    browser that holds this drawing (its ETag is the version's id and the drawing's MD5)."""
    access = integrated_get_for_user(request.user, pk)
    chronology = _version_or_404(access, version)
    fingerprint = selectors.timeline_fingerprint(chronology)
    if not fingerprint:
        raise Http404("This version has no timeline")
    response = get_conditional_response(request, etag=f'"{chronology.pk}-{fingerprint}"')
    if response is None:
        svg = IntegratedChronology.objects.filter(pk=chronology.pk).values_list("timeline_svg", flat=True).first()
        # Hashed again from what is sent, in case it was drawn again in between.
        fingerprint = hashlib.md5(svg.encode()).hexdigest()  # noqa: S324 (a fingerprint, not a secret)
        response = HttpResponse(svg, content_type="image/svg+xml")
    response["ETag"] = f'"{chronology.pk}-{fingerprint}"'
    response["Cache-Control"] = TIMELINE_CACHE
    response["Content-Security-Policy"] = TIMELINE_POLICY
    return response


@login_required
def publication_check(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    """What would block a designations export of this version, entry by entry and field by
    field, with the chair's decisions: redact the field, confirm a name as the person,
    acknowledge a finding as not identifying."""
    access = integrated_get_for_user(request.user, pk)
    chronology = _version_or_404(access, version)
    run = selectors.publication_check(chronology)
    audit_view(
        actor=request.user, action="integrated_chronology.publication_check_viewed", obj=access.review,
        review=access.review, object_repr="Integrated chronology publication check",
        detail={"version": chronology.version},
    )  # fmt: skip
    decisions = access.review.publication_decisions.filter(scope__startswith="entry:").select_related("decided_by")
    context = {
        "access": access, "review": access.review, "chronology": chronology,
        "rows": [selectors.EntryFinding(finding) for finding in run.blocking], "decisions": decisions,
    }  # fmt: skip
    return render(request, "chronology/publication_check.html", context)


@require_POST
@login_required
def publication_decide(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk, write=True)
    chronology = _version_or_404(access, version)
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
def publication_decision_withdraw(request: HttpRequest, pk: int, version: int, decision_pk: int) -> HttpResponse:
    access = integrated_get_for_user(request.user, pk, write=True)
    _version_or_404(access, version)
    decision = access.review.publication_decisions.filter(pk=decision_pk, scope__startswith="entry:").first()
    if decision is None:
        raise Http404("No such publication decision")
    publication_services.publication_decision_withdraw(decision=decision, actor=request.user)
    messages.success(request, f"{decision.get_kind_display()} withdrawn: {decision.where}.")
    return redirect("chronology:publication_check", pk, version)
