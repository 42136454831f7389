"""The family reads the draft. The chair's pages: the review's family readers with their comments
and the family's responses, the invitation (versions chosen from each document's history), and
withdrawing access. The reader's pages: their readings, a version to read and comment on."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthenticatedHttpRequest
from reports import family_selectors, family_services
from reports.family_forms import FamilyCommentForm, FamilyReaderInviteForm, FamilyResponseForm
from reports.family_models import FamilyReader, FamilyReaderVersion
from reports.family_permissions import (
    family_reader_get_for_user,
    family_readers_get_for_user,
    family_readings_get_for_user,
    family_version_get_for_user,
)
from reports.view_helpers import refused
from reviews.forms import form_add_service_errors
from reviews.permissions import ReviewAccess


def _readers_page(
    request: AuthenticatedHttpRequest, access: ReviewAccess, form: FamilyResponseForm, status: int = 200
) -> HttpResponse:
    review = access.review
    context = {
        "access": access,
        "review": review,
        "readers": family_selectors.readers_of_review(review),
        "comments": family_selectors.comments_of_review(review),
        "responses": family_selectors.responses_of_review(review),
        "form": form,
    }
    return render(request, "reports/family/readers.html", context, status=status)


@login_required
@require_GET
def family_readers(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = family_readers_get_for_user(request.user, pk)
    form = FamilyResponseForm(readers=family_selectors.readers_of_review(access.review))
    return _readers_page(request, access, form)


@login_required
def family_reader_invite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = family_readers_get_for_user(request.user, pk, write=True)
    documents = family_selectors.family_documents(access.review)
    choices = {document: family_selectors.version_choices(document) for document in documents.values()}
    form = FamilyReaderInviteForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reader = family_services.family_reader_invite(
                actor=request.user,
                review=access.review,
                name=data["name"],
                relationship=data["relationship"],
                email=data["email"],
                access_until=data["access_until"],
                versions=form.versions(),
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Invitation emailed to {reader.name} at {reader.invitation.email}.")
            return redirect("reports:family_readers", pk)
    context = {"access": access, "review": access.review, "form": form, "has_documents": bool(documents)}
    return render(request, "reports/family/invite.html", context)


@login_required
@require_POST
def family_reader_withdraw(request: AuthenticatedHttpRequest, pk: int, reader_pk: int) -> HttpResponse:
    _access, reader = family_reader_get_for_user(request.user, pk, reader_pk)
    try:
        family_services.family_reader_withdraw(actor=request.user, reader=reader)
    except ValidationError as exc:
        refused(request, exc)
    else:
        messages.success(request, f"Access for {reader.name} is withdrawn: they can no longer read the draft.")
    return redirect("reports:family_readers", pk)


@login_required
@require_POST
def family_response_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = family_readers_get_for_user(request.user, pk, write=True)
    form = FamilyResponseForm(request.POST, readers=family_selectors.readers_of_review(access.review))
    if form.is_valid():
        try:
            family_services.family_response_record(actor=request.user, review=access.review, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "The family's response is recorded.")
            return redirect("reports:family_readers", pk)
    return _readers_page(request, access, form)


@login_required
@require_GET
def family_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    current, ended = family_readings_get_for_user(request.user)
    return render(request, "reports/family/home.html", {"current": current, "ended": ended})


def _version_page(
    request: AuthenticatedHttpRequest, reader: FamilyReader, version: FamilyReaderVersion, form: FamilyCommentForm
) -> HttpResponse:
    context = {
        "reader": reader,
        "version": version,
        "composed": family_selectors.version_composed(version),
        "form": form,
        "my_comments": family_selectors.comments_on_version(version, request.user),
    }
    return render(request, "reports/family/version.html", context)


@login_required
@require_GET
def family_version(request: AuthenticatedHttpRequest, reader_pk: int, pk: int) -> HttpResponse:
    reader, version = family_version_get_for_user(request.user, reader_pk, pk)
    form = FamilyCommentForm(revisions=family_selectors.version_revisions(version))
    return _version_page(request, reader, version, form)


@login_required
@require_POST
def family_comment_add(request: AuthenticatedHttpRequest, reader_pk: int, pk: int) -> HttpResponse:
    reader, version = family_version_get_for_user(request.user, reader_pk, pk, write=True)
    form = FamilyCommentForm(request.POST, revisions=family_selectors.version_revisions(version))
    if form.is_valid():
        try:
            family_services.family_comment_add(
                actor=request.user,
                version=version,
                section_title=form.cleaned_data["section"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Your comment is sent to the review's chair.")
            return redirect("reports:family_version", reader_pk, pk)
    return _version_page(request, reader, version, form)
