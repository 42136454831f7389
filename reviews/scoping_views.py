"""The scoping page of a review (the notification, the agencies' information, the decision) and
the board's list of decisions: access helper → form → service → message → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from casereview.downloads import DownloadAudit, download_filename, download_response
from reviews import scoping_selectors as selectors
from reviews import scoping_services as services
from reviews.audit import audit_view
from reviews.forms import form_add_service_errors
from reviews.permissions import ReviewAccess, partnership_get_for_user, scoping_get_for_user
from reviews.scoping_forms import DecisionForm, InformationForm, NotificationForm


def _scoping_page(
    request: AuthenticatedHttpRequest,
    access: ReviewAccess,
    *,
    notification_form: NotificationForm | None = None,
    information_form: InformationForm | None = None,
    decision_form: DecisionForm | None = None,
) -> HttpResponse:
    """The page, with a form sent with a problem drawn again with it (400)."""
    review = access.review
    page = selectors.scoping_page(review, today=timezone.localdate())
    agencies = selectors.review_agencies(review)
    record = page.record
    if notification_form is None:
        initial: dict[str, object] = {"received_on": review.notification_date}
        if record is not None:
            initial |= {
                "notified_by": record.notified_by,
                "notifying_agency": record.notifying_agency_id,
                "circumstances": record.circumstances,
            }
        notification_form = NotificationForm(initial=initial, agencies=agencies)
    if decision_form is None:
        decided: dict[str, object] = {"decided_on": review.decision_date}
        if record and record.decision:
            decided |= {"decision": record.decision, "reasons": record.reasons}
        decision_form = DecisionForm(initial=decided)
    context = {
        "review": review,
        "access": access,
        "page": page,
        "notification_form": notification_form,
        "information_form": information_form or InformationForm(agencies=agencies),
        "decision_form": decision_form,
    }
    failed = any(form.errors for form in (notification_form, information_form, decision_form) if form)
    return render(request, "reviews/scoping.html", context, status=400 if failed else 200)


@login_required
def scoping(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The scoping page; a POST records the notification."""
    access = scoping_get_for_user(request.user, pk, write=request.method == "POST")
    if request.method != "POST":
        return _scoping_page(request, access)
    form = NotificationForm(request.POST, agencies=selectors.review_agencies(access.review))
    if form.is_valid():
        try:
            services.scoping_notification_save(
                actor=request.user, review=access.review, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Notification saved.")
            return redirect("reviews:scoping", pk)
    return _scoping_page(request, access, notification_form=form)


@login_required
@require_POST
def scoping_information_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = scoping_get_for_user(request.user, pk, write=True)
    form = InformationForm(request.POST, agencies=selectors.review_agencies(access.review))
    if form.is_valid():
        try:
            information = services.scoping_information_add(
                actor=request.user, review=access.review, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Request to {information.agency.name} recorded.")
            return redirect("reviews:scoping", pk)
    return _scoping_page(request, access, information_form=form)


def _information_get(access: ReviewAccess, information_pk: int):
    information = selectors.scoping_information_get(access.review, information_pk)
    if information is None:
        raise Http404("No such information")
    return information


@login_required
def scoping_information_edit(request: AuthenticatedHttpRequest, pk: int, information_pk: int) -> HttpResponse:
    access = scoping_get_for_user(request.user, pk, write=True)
    information = _information_get(access, information_pk)
    agencies = selectors.review_agencies(access.review)
    initial = {name: getattr(information, name) for name in ("agency", "requested_on", "received_on", "summary")}
    form = InformationForm(request.POST or None, initial=initial, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            services.scoping_information_update(
                actor=request.user, information=information, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Information from {information.agency.name} saved.")
            return redirect("reviews:scoping", pk)
    context = {"review": access.review, "access": access, "form": form, "information": information}
    return render(request, "reviews/scoping_information_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def scoping_information_delete(request: AuthenticatedHttpRequest, pk: int, information_pk: int) -> HttpResponse:
    access = scoping_get_for_user(request.user, pk, write=True)
    information = _information_get(access, information_pk)
    try:
        services.scoping_information_delete(actor=request.user, information=information)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Request to {information.agency.name} removed.")
    return redirect("reviews:scoping", pk)


@login_required
@require_POST
def scoping_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = scoping_get_for_user(request.user, pk, decide=True)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            record = services.scoping_decide(
                actor=request.user, review=access.review, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Decision recorded: {record.get_decision_display().lower()}.")
            return redirect("reviews:scoping", pk)
    return _scoping_page(request, access, decision_form=form)


@login_required
def partnership_decisions(request: AuthenticatedHttpRequest, partnership_pk: int) -> HttpResponse:
    """The board's decisions whether to hold a full review, filtered by outcome; as CSV with
    ``?export=csv`` (the download is audited, the page is a recorded look)."""
    partnership = partnership_get_for_user(request.user, partnership_pk)
    status = request.GET.get("status", "")
    if status not in selectors.DECISION_FILTERS:
        status = ""
    rows = selectors.partnership_decisions(partnership, today=timezone.localdate(), status=status)
    if request.GET.get("export") == "csv":
        return download_response(
            request, content=selectors.decisions_csv(rows),
            filename=download_filename(partnership.slug, "decisions", status, ext="csv"),
            content_type="text/csv; charset=utf-8",
            audit=DownloadAudit(action="scoping_decisions.exported", obj=partnership, detail={"status": status}),
        )  # fmt: skip
    audit_view(actor=request.user, action="scoping_decisions.viewed", obj=partnership, object_repr="Decisions")
    context = {"partnership": partnership, "rows": rows, "status": status, "filters": selectors.DECISION_FILTERS}
    return render(request, "reviews/partnership_decisions.html", context)
