"""Pages for reviews: access helper → form → service → message → redirect."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from accounts.services import review_member_add_or_invite
from actions import reminder_schedule
from casereview.downloads import DownloadAudit, download_filename, download_response
from casereview.querystrings import query_without_page
from reports.family_selectors import is_family_reader
from reviews import retention, review_services, selectors, services
from reviews.forms import (
    AgencyForm,
    ArchiveForm,
    ImrEditForm,
    ImrRequestForm,
    MembershipForm,
    PersonForm,
    PurgeForm,
    ReviewForm,
    form_add_service_errors,
    lines,
)
from reviews.logos import MAX_LOGO_BYTES
from reviews.models import Agency, Person, Review, ReviewMembership
from reviews.permissions import (
    ReviewAccess,
    audit_get_for_user,
    change_refused,
    imr_get_for_user,
    membership_get_for_user,
    partnership_audit_get_for_user,
    partnership_get_for_user,
    partnerships_administered_by,
    person_get_for_user,
    register_get_for_user,
    register_read,
    retention_get_for_user,
    review_create_partnerships,
    review_get_for_user,
)

AUDIT_PAGE_SIZE = 50


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = selectors.reviews_for_user(request.user)
    partnerships = list(partnerships_administered_by(request.user))
    # A family member invited to read the draft has no review of their own: their reading is their start.
    if not rows and not partnerships and is_family_reader(request.user):
        return redirect("reports:family_home")
    return render(request, "reviews/home.html", {"rows": rows, "partnerships": partnerships})


@login_required
def review_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    partnerships = review_create_partnerships(request.user)
    form = ReviewForm(request.POST or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review = review_services.review_create(
                actor=request.user,
                key_lines=lines(data.pop("key_lines")),
                **data,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"Review {review.reference} opened.")
            return redirect(review)
    return render(request, "reviews/review_form.html", {"form": form, "title": "Open a review"})


@login_required
def review_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _review_page(request, review_get_for_user(request.user, pk))


def _review_page(
    request: AuthenticatedHttpRequest,
    access: ReviewAccess,
    *,
    archive_form: ArchiveForm | None = None,
    purge_form: PurgeForm | None = None,
) -> HttpResponse:
    """The review's overview; a retention form sent with a problem is drawn again with it (400)."""
    review = access.review
    today = timezone.localdate()
    context = {
        "access": access,
        "review": review,
        "key_lines": selectors.review_key_lines(review, access),
        "imrs": selectors.imrs_visible(access),
        "today": today,
    }
    if register_read(request.user, access):  # the overview lists the register: a recorded look
        context["people"] = selectors.review_people(review)
    if access.is_panel:
        context["memberships"] = selectors.memberships_for_review(review)
        context["documents"] = selectors.review_documents(review)
    if access.can_archive:
        retain_default = today.replace(year=today.year + settings.RETENTION_YEARS, day=min(today.day, 28))
        context["archive_form"] = archive_form or ArchiveForm(initial={"retain_until": retain_default})
        context["purge_form"] = purge_form or PurgeForm(reference=review.reference)
    failed = (archive_form and archive_form.errors) or (purge_form and purge_form.errors)
    return render(request, "reviews/review_detail.html", context, status=400 if failed else 200)


@login_required
def review_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = review_get_for_user(request.user, pk, write=True)
    review = access.review
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            review_services.review_update(
                actor=request.user, review=review, key_lines=lines(data.pop("key_lines")), **data
            )
        except ValidationError as exc:
            review.refresh_from_db()
            form_add_service_errors(form, exc)
        else:
            messages.success(request, "Review saved.")
            return redirect(review)
    context = {"form": form, "review": review, "access": access, "title": "Edit review"}
    return render(request, "reviews/review_form.html", context)


@login_required
def person_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = register_get_for_user(request.user, pk)
    rows = selectors.register_rows(selectors.review_people(access.review))
    return render(request, "reviews/person_list.html", {"access": access, "review": access.review, "rows": rows})


def _person_form_save(
    request: AuthenticatedHttpRequest, form: PersonForm, person: Person | None, review: Review
) -> bool:
    """Save through the service, then say so and warn of any name that is also ordinary English."""
    data = form.cleaned_data
    fields = {
        "real_name": data["real_name"],
        "designation": data["designation"],
        "aliases": lines(data["aliases_text"]),
        "date_of_birth": data["date_of_birth"],
        "relationship": data["relationship"],
        "confirmed_names": lines(data["confirmed_text"]),
    }
    try:
        if person is None:
            person = services.person_add(actor=request.user, review=review, **fields)
            messages.success(request, f"{person.designation} added to the person register.")
        else:
            person = services.person_update(actor=request.user, person=person, **fields)
            messages.success(request, f"{person.designation} saved.")
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return False
    for warning in selectors.person_warnings(person):
        messages.warning(request, warning)
    return True


@login_required
def person_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = register_get_for_user(request.user, pk, write=True)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _person_form_save(request, form, None, access.review):
        return redirect("reviews:person_list", pk)
    context = {"form": form, "review": access.review, "access": access, "title": "Add a person"}
    return render(request, "reviews/person_form.html", context)


@login_required
def person_edit(request: AuthenticatedHttpRequest, pk: int, person_pk: int) -> HttpResponse:
    access, person = person_get_for_user(request.user, pk, person_pk, write=True)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid() and _person_form_save(request, form, person, access.review):
        return redirect("reviews:person_list", pk)
    return render(
        request,
        "reviews/person_form.html",
        {"form": form, "review": access.review, "access": access, "title": f"Edit {person.designation}"},
    )


@require_POST
@login_required
def person_delete(request: AuthenticatedHttpRequest, pk: int, person_pk: int) -> HttpResponse:
    _access, person = person_get_for_user(request.user, pk, person_pk, write=True)
    try:
        services.person_remove(actor=request.user, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reviews:person_list", pk)
    messages.success(request, f"{person.designation} removed from the person register.")
    return redirect("reviews:person_list", pk)


@login_required
def membership_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = review_get_for_user(request.user, pk)
    if not access.is_panel:
        raise Http404("No such review")
    review = access.review
    form = None
    if access.can_manage:
        form = MembershipForm(request.POST or None, partnership=review.partnership)
        if request.method == "POST" and form.is_valid():
            email, role = form.cleaned_data["email"], form.cleaned_data["role"]
            try:
                review_member_add_or_invite(
                    actor=request.user, review=review, email=email, role=role, agency=form.cleaned_data["agency"]
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                # The same words whether or not an account uses the address (see the service).
                role_name = ReviewMembership.Role(role).label
                messages.success(request, f"{email} has been emailed about the {role_name} role in this review.")
                return redirect("reviews:membership_list", pk)
    elif request.method == "POST":
        raise change_refused(access)
    context = {
        "access": access,
        "review": review,
        "memberships": selectors.memberships_for_review(review),
        "board_admins": selectors.board_admins_for(review.partnership),
        "form": form,
    }
    return render(request, "reviews/membership_list.html", context)


@require_POST
@login_required
def membership_delete(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    _access, membership = membership_get_for_user(request.user, pk, membership_pk, write=True)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{membership.user.display_name} is no longer {membership.get_role_display()}.")
    return redirect("reviews:membership_list", pk)


@require_POST
@login_required
def partnership_logo(request: AuthenticatedHttpRequest, partnership_pk: int) -> HttpResponse:
    """Upload (or remove) the logo the partnership's reports carry on their covers."""
    partnership = partnership_get_for_user(request.user, partnership_pk)
    if "remove" in request.POST:
        services.partnership_logo_remove(actor=request.user, partnership=partnership)
        messages.success(request, "The logo is removed: covers show the partnership's name only.")
        return redirect("reviews:partnership_detail", partnership_pk)
    upload = request.FILES.get("logo")
    try:
        if upload is None:
            raise ValidationError({"logo": "Choose a PNG or JPEG file to upload as the logo."})
        if upload.size and upload.size > MAX_LOGO_BYTES:
            raise ValidationError({"logo": f"The logo is over {MAX_LOGO_BYTES // 1024} KB: save it smaller."})
        services.partnership_logo_set(actor=request.user, partnership=partnership, data=upload.read())
    except ValidationError as exc:
        messages.error(request, "Logo not saved: " + " ".join(exc.messages))
    else:
        messages.success(request, "The logo is saved: it is on the cover of every report rendered from now on.")
    return redirect("reviews:partnership_detail", partnership_pk)


@require_POST
@login_required
def membership_panel_role(request: AuthenticatedHttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """The role a chair or panel member is listed with in the report's panel ("Detective Inspector, Police")."""
    _access, membership = membership_get_for_user(request.user, pk, membership_pk, write=True)
    name = membership.user.display_name
    try:
        services.membership_panel_role_set(
            actor=request.user, membership=membership, panel_role=request.POST.get("panel_role", "")
        )
    except ValidationError as exc:
        messages.error(request, f"{name}'s role on the panel was not saved: {' '.join(exc.messages)}")
    else:
        messages.success(request, f"{name}'s role on the panel is saved.")
    return redirect("reviews:membership_list", pk)


@login_required
def imr_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = review_get_for_user(request.user, pk, write=True)
    review = access.review
    form = ImrRequestForm(request.POST or None, review=review)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = data["agency"] or services.agency_create(
                actor=request.user,
                partnership=review.partnership,
                name=data["new_agency_name"],
                kind=data["new_agency_kind"] or Agency.Kind.OTHER,
            )
            imr = services.imr_request(actor=request.user, review=review, agency=agency, due_date=data["due_date"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"IMR requested from {imr.agency.name}.")
            return redirect(review)
    return render(request, "reviews/imr_request.html", {"form": form, "review": review, "access": access})


@login_required
def imr_edit(request: AuthenticatedHttpRequest, pk: int, imr_pk: int) -> HttpResponse:
    access, imr = imr_get_for_user(request.user, pk, imr_pk, write=True)
    form = ImrEditForm(request.POST or None, instance=imr)
    if request.method == "POST" and form.is_valid():
        try:
            services.imr_update(actor=request.user, imr=imr, **form.cleaned_data)
        except ValidationError as exc:
            imr.refresh_from_db()
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"IMR for {imr.agency.name} saved.")
            return redirect(imr)
    context = {"form": form, "review": access.review, "access": access, "imr": imr}
    return render(request, "reviews/imr_edit.html", context)


@login_required
def review_audit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = audit_get_for_user(request.user, pk)
    filters = selectors.AuditFilters.from_query(request.GET)
    entries = filters.apply(selectors.audit_entries_for_review(access.review))
    if request.GET.get("export") == "csv":
        return _audit_csv(request, entries, obj=access.review, name=access.review.reference)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"review": access.review, "access": access, "page": page, "scope": access.review, "filters": filters}
    context["query"] = query_without_page(request.GET)
    return render(request, "reviews/audit.html", context)


def _audit_csv(request: AuthenticatedHttpRequest, entries, *, obj, name: str) -> HttpResponse:
    """The filtered trail as CSV, safe to open in a spreadsheet; the export is itself audited."""
    return download_response(
        request, content=selectors.audit_entries_csv(entries), filename=download_filename("audit", name, ext="csv"),
        content_type="text/csv; charset=utf-8",
        audit=DownloadAudit(action="audit.exported", obj=obj, detail={"query": request.GET.urlencode()[:500]}),
    )  # fmt: skip


@login_required
def partnership_detail(request: AuthenticatedHttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_get_for_user(request.user, partnership_pk)
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(actor=request.user, partnership=partnership, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"{agency.name} added to the directory.")
            return redirect("reviews:partnership_detail", partnership_pk)
    context = {
        "partnership": partnership,
        "agencies": selectors.partnership_agencies(partnership),
        "board_admins": selectors.board_admins_for(partnership),
        "form": form,
        "logo": selectors.partnership_logo_summary(partnership),
        "reminder_hour": reminder_schedule.reminder_hour_for(partnership),
    }
    return render(request, "reviews/partnership_detail.html", context)


@login_required
def partnership_audit(request: AuthenticatedHttpRequest, partnership_pk: int) -> HttpResponse:
    partnership = partnership_audit_get_for_user(request.user, partnership_pk)
    filters = selectors.AuditFilters.from_query(request.GET)
    entries = filters.apply(selectors.audit_entries_for_partnership(partnership))
    if request.GET.get("export") == "csv":
        return _audit_csv(request, entries, obj=partnership, name=partnership.slug)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"partnership": partnership, "page": page, "scope": partnership, "filters": filters}
    context["query"] = query_without_page(request.GET)
    return render(request, "reviews/audit.html", context)


@login_required
@require_POST
def review_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = retention_get_for_user(request.user, pk)
    form = ArchiveForm(request.POST)
    if form.is_valid():
        try:
            retention.review_archive(actor=request.user, review=access.review, **form.cleaned_data)
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # archived meanwhile: about the review, not the date
                messages.error(request, " ".join(exc.messages))
                return redirect(access.review)
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"{access.review.reference} is archived and read-only.")
            return redirect(access.review)
    return _review_page(request, access, archive_form=form)


@login_required
@require_POST
def review_unarchive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = retention_get_for_user(request.user, pk)
    try:
        retention.review_unarchive(actor=request.user, review=access.review)
        messages.success(request, f"{access.review.reference} is open again.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(access.review)


@login_required
@require_POST
def review_purge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = retention_get_for_user(request.user, pk)
    form = PurgeForm(request.POST, reference=access.review.reference)
    if not form.is_valid():  # the reference mistyped: told at its field
        return _review_page(request, access, purge_form=form)
    try:
        counts = retention.review_purge(actor=request.user, review=access.review)
    except ValidationError as exc:  # not archived, or kept for longer: about the review, not the field
        messages.error(request, " ".join(exc.messages))
    else:
        total = sum(counts.values())
        messages.success(request, f"Personal data purged: {total} records deleted. The audit trail records it.")
    return redirect(access.review)
