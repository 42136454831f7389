"""The family involvement log's pages: the log, a contact's and an offer's form, their removal,
and the family's pseudonym for the subject. Each view: access helper, form, service, message,
redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.http import AuthenticatedHttpRequest
from reviews import family_selectors, family_services
from reviews.family_forms import FamilyContactForm, FamilyOfferForm, FamilyPseudonymForm
from reviews.family_models import FamilyContact, FamilyOffer
from reviews.family_permissions import (
    family_contact_get_for_user,
    family_log_get_for_user,
    family_offer_get_for_user,
)
from reviews.family_services import ContactDetails, NewPerson, OfferDetails
from reviews.forms import form_add_service_errors
from reviews.models import Person
from reviews.permissions import ReviewAccess

LOG = "reviews:family_log"


@login_required
def family_log(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = family_log_get_for_user(request.user, pk)
    context = {"access": access, "review": access.review, "log": family_selectors.family_log(access.review)}
    return render(request, "reviews/family/log.html", context)


def _form_page(request: AuthenticatedHttpRequest, access: ReviewAccess, form, title: str, **extra) -> HttpResponse:
    context = {"access": access, "review": access.review, "form": form, "title": title, **extra}
    status = 400 if form.is_bound else 200
    return render(request, "reviews/family/form.html", context, status=status)


def _contact_details(data: dict) -> ContactDetails:
    return ContactDetails(
        contact_date=data["contact_date"],
        method=data["method"],
        contacted_by=data["contacted_by"],
        advocate_organisation=data["advocate_organisation"],
        advocate_name=data["advocate_name"],
        consent_to_be_named=data["consent_to_be_named"],
        consent_to_be_quoted=data["consent_to_be_quoted"],
        what_they_said=data["what_they_said"],
        review_response=data["review_response"],
    )


def _contact_save(request: AuthenticatedHttpRequest, access: ReviewAccess, form, contact: FamilyContact | None):
    data = form.cleaned_data
    try:
        if contact is None:
            new = NewPerson(
                data["new_person_real_name"],
                data["new_person_designation"],
                data["new_person_relationship"] or Person.Relationship.FAMILY_MEMBER,
            )
            return family_services.family_contact_add(
                actor=request.user, review=access.review, person=data["person"],
                details=_contact_details(data), new_person=new,
            )  # fmt: skip
        return family_services.family_contact_update(
            actor=request.user, contact=contact, person=data["person"], details=_contact_details(data)
        )
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return None


@login_required
def family_contact_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = family_log_get_for_user(request.user, pk, write=True)
    form = FamilyContactForm(request.POST or None, review=access.review, adding=True)
    if request.method == "POST" and form.is_valid() and (saved := _contact_save(request, access, form, None)):
        messages.success(request, f"Contact with {saved.person.designation} recorded.")
        return redirect(LOG, pk)
    return _form_page(request, access, form, "Record a contact", richtext=True)


@login_required
def family_contact_edit(request: AuthenticatedHttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    access, contact = family_contact_get_for_user(request.user, pk, contact_pk, write=True)
    form = FamilyContactForm(request.POST or None, instance=contact, review=access.review, adding=False)
    if request.method == "POST" and form.is_valid() and (saved := _contact_save(request, access, form, contact)):
        messages.success(request, f"Contact with {saved.person.designation} saved.")
        return redirect(LOG, pk)
    title = f"Edit the contact of {contact.contact_date:%-d %B %Y} with {contact.person.designation}"
    return _form_page(request, access, form, title, richtext=True)


@login_required
@require_POST
def family_contact_delete(request: AuthenticatedHttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    _access, contact = family_contact_get_for_user(request.user, pk, contact_pk, write=True, look=False)
    family_services.family_contact_remove(actor=request.user, contact=contact)
    messages.success(request, f"Contact with {contact.person.designation} removed from the log.")
    return redirect(LOG, pk)


def _offer_details(data: dict) -> OfferDetails:
    return OfferDetails(
        kind=data["kind"],
        made_on=data["made_on"],
        response=data["response"],
        response_date=data["response_date"],
        description=data["description"],
        note=data["note"],
    )


def _offer_save(request: AuthenticatedHttpRequest, access: ReviewAccess, form, row: FamilyOffer | None):
    data = form.cleaned_data
    try:
        if row is None:
            return family_services.family_offer_add(
                actor=request.user, review=access.review, person=data["person"], offer=_offer_details(data)
            )
        return family_services.family_offer_update(
            actor=request.user, row=row, person=data["person"], offer=_offer_details(data)
        )
    except ValidationError as exc:
        form_add_service_errors(form, exc)
        return None


@login_required
def family_offer_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access = family_log_get_for_user(request.user, pk, write=True)
    form = FamilyOfferForm(request.POST or None, review=access.review)
    if request.method == "POST" and form.is_valid() and (saved := _offer_save(request, access, form, None)):
        messages.success(request, f"Offer to {saved.person.designation} recorded.")
        return redirect(LOG, pk)
    return _form_page(request, access, form, "Record an offer")


@login_required
def family_offer_edit(request: AuthenticatedHttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    access, row = family_offer_get_for_user(request.user, pk, offer_pk, write=True)
    form = FamilyOfferForm(request.POST or None, instance=row, review=access.review)
    if request.method == "POST" and form.is_valid() and (saved := _offer_save(request, access, form, row)):
        messages.success(request, f"Offer to {saved.person.designation} saved.")
        return redirect(LOG, pk)
    return _form_page(request, access, form, f"Edit the offer to {row.person.designation} of {row.made_on:%-d %B %Y}")


@login_required
@require_POST
def family_offer_delete(request: AuthenticatedHttpRequest, pk: int, offer_pk: int) -> HttpResponse:
    _access, row = family_offer_get_for_user(request.user, pk, offer_pk, write=True, look=False)
    family_services.family_offer_remove(actor=request.user, row=row)
    messages.success(request, f"Offer to {row.person.designation} removed from the log.")
    return redirect(LOG, pk)


@login_required
def family_pseudonym(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The name the family chose for the subject: it becomes the subject's designation."""
    access = family_log_get_for_user(request.user, pk, write=True)
    current = family_selectors.family_log(access.review).pseudonym
    victim = family_selectors.register_victim(access.review)
    form = FamilyPseudonymForm(
        request.POST or None, instance=current, review=access.review, initial={"subject": victim} if victim else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            row = family_services.family_pseudonym_agree(actor=request.user, review=access.review, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, f"“{row.pseudonym}” is now the designation published documents use.")
            return redirect(LOG, pk)
    return _form_page(request, access, form, "The family's pseudonym for the subject", pseudonym=current)
