"""One action's page: what it is, its milestones, the progress reported with evidence, and the
board's sign-off; the forms on it post here and come back to it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from actions import selectors, services
from actions.evidence import CONTENT_TYPES
from actions.forms import ActionForm, AssureForm, MilestoneForm, ProgressForm
from actions.models import Action
from actions.permissions import PlanAccess, action_get_for_user, evidence_get_for_user, milestone_get_for_user
from casereview.downloads import DownloadAudit, download_response
from reviews.forms import form_add_service_errors


def _action_page(
    request: HttpRequest,
    access: PlanAccess,
    action: Action,
    progress_form: ProgressForm,
    *,
    milestone_form: MilestoneForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "access": access.review_access,
        "plan": access,
        "review": access.review,
        "action": action,
        "today": timezone.localdate(),
        "milestones": selectors.action_milestones(action),
        "updates": selectors.action_updates(action),
        "can_report": access.can_report_progress(action),
        "progress_form": progress_form,
        "milestone_form": milestone_form or MilestoneForm(prefix="milestone"),
        "assure_form": AssureForm(),
    }
    return render(request, "actions/action_detail.html", context, status=status)


@login_required
def action_detail(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    access, action = action_get_for_user(request.user, pk, action_pk)
    return _action_page(request, access, action, _progress_form(action))


def _progress_form(action: Action) -> ProgressForm:
    """The empty progress form. An overdue action is one nobody has reported on in time: on track
    is the likelier next report."""
    status = action.status if action.status in services.PROGRESS_STATUSES else Action.Status.ON_TRACK
    return ProgressForm(initial={"status": status})


@login_required
def action_edit(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    access, action = action_get_for_user(request.user, pk, action_pk, write=True)
    review = access.review
    initial = {name: getattr(action, name) for name in services.ACTION_EDITABLE_FIELDS}
    form = ActionForm(request.POST or None, review=review, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Action saved.")
            return redirect("actions:action_detail", review.pk, action.pk)
    context = {"form": form, "review": review, "access": access.review_access, "title": "Edit action"}
    return render(request, "actions/form.html", context)


@login_required
@require_POST
def action_progress(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    access, action = action_get_for_user(request.user, pk, action_pk, progress=True)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        # A file over the limit is refused by its declared size, without reading it into memory.
        limit = settings.ACTION_EVIDENCE_MAX_BYTES
        files = [
            services.EvidenceUpload(name=f.name, data=f.read() if f.size <= limit else b"", size=f.size)
            for f in data["files"]
        ]
        try:
            services.progress_add(
                actor=request.user,
                action=action,
                text=data["text"],
                status=data["status"],
                completed_on=data["completed_on"],
                outcome=data["outcome"],
                files=files,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Progress recorded.")
            return redirect("actions:action_detail", access.review.pk, action.pk)
    return _action_page(request, access, action, form, status=400)


@login_required
@require_POST
def action_assure(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    access, action = action_get_for_user(request.user, pk, action_pk, assure=True)
    form = AssureForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.action_assure(actor=request.user, action=action, note=note)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Action signed off as assured.")
    return redirect("actions:action_detail", access.review.pk, action.pk)


@login_required
@require_POST
def milestone_add(request: AuthenticatedHttpRequest, pk: int, action_pk: int) -> HttpResponse:
    access, action = action_get_for_user(request.user, pk, action_pk, write=True)
    form = MilestoneForm(request.POST, prefix="milestone")
    if form.is_valid():
        try:
            services.milestone_add(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Milestone added.")
    if form.errors:  # the page again, the problem told at its field, what was typed kept
        return _action_page(request, access, action, _progress_form(action), milestone_form=form, status=400)
    return redirect("actions:action_detail", access.review.pk, action.pk)


@login_required
@require_POST
def milestone_done(request: AuthenticatedHttpRequest, pk: int, action_pk: int, milestone_pk: int) -> HttpResponse:
    access, action, milestone = milestone_get_for_user(request.user, pk, action_pk, milestone_pk)
    done_on = None if milestone.done_on else timezone.localdate()
    services.milestone_mark(actor=request.user, milestone=milestone, done_on=done_on)
    messages.success(request, "Milestone marked done." if done_on else "Milestone marked not done.")
    return redirect("actions:action_detail", access.review.pk, action.pk)


@login_required
def evidence_download(request: AuthenticatedHttpRequest, pk: int, action_pk: int, evidence_pk: int) -> HttpResponseBase:
    access, evidence = evidence_get_for_user(request.user, pk, action_pk, evidence_pk)
    # An attachment, so an uploaded file never renders in our origin.
    return download_response(
        request, stored=evidence.file, sha256=evidence.sha256, filename=evidence.filename,
        content_type=CONTENT_TYPES[evidence.kind],
        audit=DownloadAudit(action="evidence.downloaded", obj=evidence, review=access.review),
    )  # fmt: skip
