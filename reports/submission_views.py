"""A review's submission page: the quality checklist with its evidence, the submission pack
(asked for, polled, downloaded), the chair's marks and the quality-assurance panel's feedback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from casereview.downloads import DownloadAudit, download_response
from casereview.job_status import job_status_response
from reports import submission_selectors, submission_services
from reports.submission_forms import CheckMarkForm, FeedbackForm
from reports.submission_models import SubmissionPack
from reports.submission_pack import recipient_for
from reports.submission_permissions import submission_get_for_user, submission_pack_get_for_user
from reviews.forms import form_add_service_errors
from reviews.permissions import ReviewAccess


def _page(
    request: AuthenticatedHttpRequest, access: ReviewAccess, *, feedback_form: FeedbackForm | None = None,
    mark_forms: dict[str, CheckMarkForm] | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    review = access.review
    checklist = submission_selectors.submission_checklist(review, today=timezone.localdate())
    forms = mark_forms or {}
    for item in checklist:
        if item.for_chair and item.key not in forms:
            initial = {"met": "yes" if item.mark.met else "no", "note": item.mark.note} if item.mark else None
            forms[item.key] = CheckMarkForm(initial=initial, prefix=item.key)
        item.form = forms.get(item.key)  # type: ignore[attr-defined]
    context = {
        "review": review,
        "access": access,
        "recipient": recipient_for(review),
        "checklist": checklist,
        "met_count": sum(item.met is True for item in checklist),
        "packs": submission_selectors.submission_packs(review),
        "feedback": submission_selectors.submission_feedback(review),
        "feedback_form": feedback_form or FeedbackForm(),
        # A mark refused, for the page's error summary (which reads the forms in the context).
        "mark_forms_refused": [form for form in forms.values() if form.is_bound],
    }
    return render(request, "reports/submission.html", context, status=status)


@login_required
def submission(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _page(request, submission_get_for_user(request.user, pk))


@login_required
@require_POST
def submission_pack_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = submission_get_for_user(request.user, pk, write=True)
    submission_services.submission_pack_request(actor=request.user, review=access.review)
    messages.success(request, "The submission pack is being made: it appears below when it is ready.")
    return redirect(reverse("reports:submission", args=[pk]) + "#packs-heading")


@login_required
def submission_pack_status(request: AuthenticatedHttpRequest, pk: int, pack_pk: int) -> HttpResponse:
    access, pack = submission_pack_get_for_user(request.user, pk, pack_pk, write=request.method == "POST")
    if request.method == "POST":
        try:
            submission_services.submission_pack_retry(actor=request.user, pack=pack)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("reports:submission", args=[pk]) + "#packs-heading")
    context = {"review": access.review, "access": access, "pack": pack}
    if request.headers.get("Accept") == "application/json":  # the page's poll (static/js/jobs.js)
        return job_status_response(request, pack, template="reports/snippets/submission_pack_job.html", context=context)
    return redirect("reports:submission", pk)


@login_required
def submission_pack_download(request: AuthenticatedHttpRequest, pk: int, pack_pk: int) -> HttpResponseBase:
    access, pack = submission_pack_get_for_user(request.user, pk, pack_pk)
    if pack.status != SubmissionPack.Status.READY:
        raise Http404("Not ready")
    return download_response(
        request, stored=pack.file, sha256=pack.sha256, filename=pack.filename,
        content_type="application/zip",
        audit=DownloadAudit(action="submission.pack_downloaded", obj=pack, review=access.review),
    )  # fmt: skip


@login_required
@require_POST
def submission_mark(request: AuthenticatedHttpRequest, pk: int, item: str) -> HttpResponse:
    access = submission_get_for_user(request.user, pk, write=True)
    if submission_selectors.item_rule(item) is None:
        raise Http404("No such checklist item")
    form = CheckMarkForm(request.POST, prefix=item)
    if form.is_valid():
        try:
            submission_services.submission_check_mark(
                actor=request.user, review=access.review, item=item, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Checklist item marked.")
            return redirect(reverse("reports:submission", args=[pk]) + f"#item-{item}")
    return _page(request, access, mark_forms={item: form}, status=400)


@login_required
@require_POST
def submission_feedback(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = submission_get_for_user(request.user, pk, write=True)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            submission_services.submission_feedback_record(
                actor=request.user, review=access.review, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "The panel's feedback is recorded.")
            return redirect(reverse("reports:submission", args=[pk]) + "#feedback-heading")
    return _page(request, access, feedback_form=form, status=400)
