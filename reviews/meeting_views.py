"""Panel meetings: the review's list of meetings, scheduling and editing one, its page (agenda,
attendance, papers, minutes, decisions, actions arising), attendance, the minutes in the
documents' editor (autosaved, as an IMR answer is), approving the previous meeting's minutes,
papers circulated, and actions arising added and marked done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from reports.forms import parsed
from reviews import meeting_selectors, meeting_services
from reviews.forms import AnswerSaveForm, form_add_service_errors
from reviews.meeting_forms import ActionArisingForm, ActionDoneForm, AttendanceForm, MeetingForm, PaperForm
from reviews.meeting_models import PanelMeeting
from reviews.meeting_permissions import (
    action_arising_get_for_user,
    meeting_get_for_user,
    paper_get_for_user,
)
from reviews.meeting_services import StaleMinutes
from reviews.permissions import ReviewAccess, panel_get_for_user


def _page(request: AuthenticatedHttpRequest, template: str, access: ReviewAccess, status: int = 200, **context):
    if context.get("meeting") is not None and "number" not in context:  # the meeting's number names its pages
        context["number"] = meeting_selectors.meeting_number(context["meeting"])
    return render(
        request, f"reviews/meetings/{template}", {"access": access, "review": access.review, **context}, status=status
    )


@login_required
def meeting_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = panel_get_for_user(request.user, pk)
    rows = meeting_selectors.meetings_of_review(access.review)
    return _page(request, "list.html", access, rows=rows, now=timezone.now())


@login_required
def meeting_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Schedule a meeting. A date in the past is taken: a meeting held before the review came
    into casereview is recorded with its minutes."""
    access = panel_get_for_user(request.user, pk, write=True)
    form = MeetingForm(request.POST if request.method == "POST" else None, scheduling=True)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meeting_services.meeting_create(actor=request.user, review=access.review, details=form.details())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Meeting scheduled.")
            return redirect(meeting)
    return _page(request, "form.html", access, 400 if form.errors else 200, form=form, meeting=None)


@login_required
def meeting_detail(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    access, meeting = meeting_get_for_user(request.user, pk, meeting_pk)
    page = meeting_selectors.meeting_page(meeting, publication_versions=access.can_manage)
    form = ActionArisingForm(members=meeting_selectors.review_members(access.review)) if access.can_manage else None
    return _page(request, "detail.html", access, meeting=meeting, page=page, action_form=form, now=timezone.now())


@login_required
def meeting_edit(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    access, meeting = meeting_get_for_user(request.user, pk, meeting_pk, write=True)
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                meeting_services.meeting_update(actor=request.user, meeting=meeting, details=form.details())
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, "Meeting saved.")
                return redirect(meeting)
    else:
        form = MeetingForm.for_meeting(meeting, meeting_selectors.agenda_of(meeting))
    return _page(request, "form.html", access, 400 if form.errors else 200, form=form, meeting=meeting)


@login_required
def meeting_attendance(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    access, meeting = meeting_get_for_user(request.user, pk, meeting_pk, write=True)
    members = meeting_selectors.panel_members(access.review)
    agencies = meeting_selectors.agencies_of(access.review)
    initial = AttendanceForm.initial_for(meeting_selectors.attendance_of(meeting))
    form = AttendanceForm(
        request.POST if request.method == "POST" else None, members=members, agencies=agencies, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.meeting_attendance_save(actor=request.user, meeting=meeting, records=form.records())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Attendance recorded.")
            return redirect(meeting)
    return _page(request, "attendance.html", access, 400 if form.errors else 200, meeting=meeting, form=form)


def _minutes_page(request: AuthenticatedHttpRequest, access: ReviewAccess, meeting: PanelMeeting, status=200, **extra):
    return _page(
        request, "minutes.html", access, status, meeting=meeting,
        number=meeting_selectors.meeting_number(meeting), minutes=meeting_selectors.minutes_html(meeting.minutes),
        user_json={"id": request.user.pk, "name": request.user.display_name}, **extra,
    )  # fmt: skip


@login_required
def meeting_minutes(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """GET: the minutes in the editor. POST: a save, answered in JSON for the editor's script
    ({version, saved_at}; 409 with both texts; 400 with the reason) or with the page again."""
    access, meeting = meeting_get_for_user(request.user, pk, meeting_pk, write=True)
    if request.method != "POST":
        return _minutes_page(request, access, meeting)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    try:
        posted = parsed(AnswerSaveForm(request.POST))
        saved = meeting_services.meeting_minutes_save(
            actor=request.user, meeting=meeting, text=posted["body"], base_version=posted["base_version"],
            save_id=posted["save_id"], autosave=posted["autosave"],
        )  # fmt: skip
    except StaleMinutes as stale:
        context = {"stale": stale, "theirs": meeting_selectors.minutes_html(stale.meeting.minutes), "mine": stale.mine}
        if wants_json:
            panel = render_to_string("reviews/meetings/minutes_conflict.html", context, request=request)
            payload = {"conflict": panel, "error": str(stale), "theirs": stale.meeting.minutes, "mine": stale.mine}
            return JsonResponse({**payload, "version": stale.meeting.minutes_version}, status=409)
        messages.error(request, str(stale))
        return _minutes_page(request, access, meeting, 409, conflict=context)
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)
        return _minutes_page(
            request, access, meeting, 400, refused=error.messages, refused_text=request.POST.get("body")
        )
    if wants_json:
        saved_at = timezone.localtime(saved.saved_at).strftime("%H:%M:%S") if saved.saved_at else ""
        return JsonResponse({"version": saved.version, "saved_at": saved_at})
    messages.success(request, f"Minutes saved (version {saved.version}).")
    return redirect(meeting)


@login_required
@require_POST
def meeting_minutes_approve(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """At this meeting, approve the previous meeting's minutes."""
    access, meeting = meeting_get_for_user(request.user, pk, meeting_pk, write=True)
    try:
        meeting_services.meeting_minutes_approve(actor=request.user, meeting=meeting, now=timezone.now())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The previous meeting's minutes are approved as a true record.")
    return redirect(meeting)


@login_required
def meeting_papers(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    """Circulate a document of the review, or a file of it, for the meeting."""
    access, meeting = meeting_get_for_user(request.user, pk, meeting_pk, write=True)
    choices = meeting_selectors.paper_choices(access.review, publication_versions=access.can_manage)
    form = PaperForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        chosen = meeting_selectors.paper_resolve(access.review, form.cleaned_data["paper"])
        try:
            if chosen is None:
                raise ValidationError({"paper": ["Choose a document of this review or a ready file of it."]})
            meeting_services.meeting_paper_add(
                actor=request.user, meeting=meeting, document=chosen[0], render=chosen[1]
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Paper circulated for the meeting.")
            return redirect(meeting)
    papers = meeting_selectors.papers_of(meeting, publication_versions=access.can_manage)
    return _page(request, "papers.html", access, 400 if form.errors else 200, meeting=meeting, form=form, papers=papers)


@login_required
@require_POST
def meeting_paper_remove(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int, paper_pk: int) -> HttpResponse:
    access, meeting, paper = paper_get_for_user(request.user, pk, meeting_pk, paper_pk)
    meeting_services.meeting_paper_remove(actor=request.user, paper=paper)
    messages.success(request, "Paper taken off the meeting's list.")
    return redirect("reviews:meeting_papers", pk, meeting_pk)


@login_required
def action_arising_create(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int) -> HttpResponse:
    access, meeting = meeting_get_for_user(request.user, pk, meeting_pk, write=True)
    members = meeting_selectors.review_members(access.review)
    form = ActionArisingForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_services.action_arising_add(
                actor=request.user, meeting=meeting, description=form.cleaned_data["description"],
                owner=form.chosen_owner(), due_date=form.cleaned_data["due_date"],
            )  # fmt: skip
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Action arising added: it is in its owner's list until it is done.")
            return redirect(meeting)
    return _page(request, "action_form.html", access, 400 if form.errors else 200, meeting=meeting, form=form)


@login_required
@require_POST
def action_arising_done(request: AuthenticatedHttpRequest, pk: int, meeting_pk: int, action_pk: int) -> HttpResponse:
    """Mark an action arising done or not done: by its owner (from "My actions") or the chair."""
    access, action = action_arising_get_for_user(request.user, pk, meeting_pk, action_pk)
    form = ActionDoneForm(request.POST)
    done = not form.is_valid() or form.cleaned_data["done"] == "yes"
    meeting_services.action_arising_mark(actor=request.user, action=action, done=done, now=timezone.now())
    messages.success(request, "Action arising marked done." if done else "Action arising marked not done.")
    back = form.cleaned_data.get("next", "") if form.is_valid() else ""
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(action.meeting if access.is_panel else "actions:my_actions")
