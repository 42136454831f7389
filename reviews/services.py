"""Writes for the reviews app. Each service validates, changes the rows, records the audit
entry in the same transaction and enqueues any task only once the transaction commits.

Validation failures raise ``ValidationError`` with a message per field, so forms and the
command line can both say exactly what is wrong."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify

from accounts.models import User
from casereview.storage import file_store, files_delete_on_commit
from chronology.integrated.timeline import timelines_redraw_later
from reviews import notifications
from reviews.archived import review_ensure_open
from reviews.audit import audit_record, audit_value
from reviews.family_selectors import family_log_names
from reviews.logos import logo_checked
from reviews.models import (
    Agency,
    Imr,
    Partnership,
    PartnershipLogo,
    PartnershipMembership,
    Person,
    Review,
    ReviewMembership,
)
from reviews.notifications import notify
from reviews.publication import Register, fold_key, name_parts, normalise
from reviews.validators import one_line_problem


@transaction.atomic
def partnership_create(*, actor: User | None, name: str, kind: str, slug: str = "") -> Partnership:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A partnership needs a name."})
    if kind not in Partnership.Kind.values:
        raise ValidationError({"kind": f'"{kind}" is not a partnership kind ({", ".join(Partnership.Kind.values)}).'})
    slug = slug or slugify(name)[:80]
    if Partnership.objects.filter(name=name).exists() or Partnership.objects.filter(slug=slug).exists():
        raise ValidationError({"name": f'A partnership called "{name}" already exists.'})
    partnership = Partnership.objects.create(name=name, kind=kind, slug=slug)
    audit_record(actor=actor, action="partnership.created", obj=partnership)
    return partnership


@transaction.atomic
def partnership_admin_add(*, actor: User | None, partnership: Partnership, user: User) -> PartnershipMembership:
    membership, created = PartnershipMembership.objects.get_or_create(
        user=user, partnership=partnership, role=PartnershipMembership.Role.BOARD_ADMIN
    )
    if created:
        audit_record(
            actor=actor,
            action="partnership.admin_added",
            obj=membership,
            partnership=partnership,
            object_repr=f"{user.display_name} as board administrator",
        )
    return membership


@transaction.atomic
def agency_create(*, actor: User | None, partnership: Partnership, name: str, kind: str = Agency.Kind.OTHER) -> Agency:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "An agency needs a name."})
    if problem := one_line_problem(name, "The agency's name"):
        raise ValidationError({"name": problem})
    if kind not in Agency.Kind.values:
        raise ValidationError({"kind": f'"{kind}" is not an agency kind.'})
    if Agency.objects.filter(partnership=partnership, name__iexact=name).exists():
        raise ValidationError({"name": f'"{name}" is already in this partnership\'s directory.'})
    agency = Agency.objects.create(partnership=partnership, name=name, kind=kind)
    audit_record(actor=actor, action="agency.created", obj=agency, partnership=partnership)
    return agency


def _plain(value: str) -> str:
    """A name as stored: normalised (no invisible characters), spaces collapsed."""
    return " ".join(normalise(value).split())


def _aliases_clean(aliases: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for alias in aliases:
        alias = _plain(alias)
        if alias and alias.lower() not in seen:
            seen[alias.lower()] = alias
    return list(seen.values())


def _person_names_check(real_name: str, designation: str) -> None:
    """As typed: a line break or a control character is refused, not quietly made a space."""
    errors = {
        field: problem
        for field, value, what in (
            ("real_name", real_name, "The real name"),
            ("designation", designation, "The designation"),
        )
        if (problem := one_line_problem(value.strip(), what))
    }
    if errors:
        raise ValidationError(errors)


def _designation_problem(person: Person) -> str:
    if not person.designation:
        return 'A person needs a designation, such as "Mrs B" or "Child 1".'
    if person.designation.lower() == person.real_name.lower() or person.designation.lower() in (
        alias.lower() for alias in person.aliases
    ):
        return "The designation must not be the person's real name or an alias."
    if person.real_name and (parts := Register(()).designation_problems(person.real_name, person.designation)):
        quoted = " and ".join(f"“{part}”" for part in parts)
        return (
            f"The designation “{person.designation}” contains {quoted}, part of the person's own name, so it would "
            'identify them: choose one that does not, such as "Mr G", "Adult A" or "the victim".'
        )
    return ""


def _person_validate(person: Person) -> None:
    errors: dict[str, str] = {}
    if not person.real_name:
        errors["real_name"] = "A person needs a real name."
    if problem := _designation_problem(person):
        errors["designation"] = problem
    if person.relationship not in Person.Relationship.values:
        errors["relationship"] = (
            f'"{person.relationship}" is not a relationship; use one of {", ".join(Person.Relationship.values)}.'
        )
    own = {fold_key(text) for text in [person.real_name, *person.aliases, *name_parts(person.real_name)]}
    strangers = [text for text in person.confirmed_names if fold_key(text) not in own]
    if strangers:
        errors["confirmed_names"] = (
            f"“{strangers[0]}” is not the person's name, an alias or part of the name: only those can be confirmed "
            "as always meaning this person."
        )
    if person.date_of_birth and person.date_of_birth > datetime.date.today():
        errors["date_of_birth"] = "The date of birth is in the future."
    others = Person.objects.filter(review_id=person.review_id).exclude(pk=person.pk)
    if person.real_name and others.filter(real_name__iexact=person.real_name).exists():
        errors["real_name"] = f'"{person.real_name}" is already in this review\'s person register.'
    if person.designation and others.filter(designation__iexact=person.designation).exists():
        errors["designation"] = f'Another person in this review is already designated "{person.designation}".'
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_add(
    *,
    actor: User | None,
    review: Review,
    real_name: str,
    designation: str,
    aliases: Iterable[str] = (),
    date_of_birth: datetime.date | None = None,
    relationship: str = Person.Relationship.OTHER,
    confirmed_names: Iterable[str] = (),
) -> Person:
    review_ensure_open(review.pk)
    _person_names_check(real_name, designation)
    person = Person(
        review=review,
        real_name=_plain(real_name),
        designation=_plain(designation),
        aliases=_aliases_clean(aliases),
        date_of_birth=date_of_birth,
        relationship=relationship,
        confirmed_names=_aliases_clean(confirmed_names),
    )
    _person_validate(person)
    person.save()
    # The audit trail names the person by designation only: it is read more widely than
    # the register.
    audit_record(actor=actor, action="person.added", obj=person, detail={"relationship": relationship})
    timelines_redraw_later(review)
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    real_name: str,
    designation: str,
    aliases: Iterable[str],
    date_of_birth: datetime.date | None,
    relationship: str,
    confirmed_names: Iterable[str] = (),
) -> Person:
    review_ensure_open(person.review_id)
    _person_names_check(real_name, designation)
    before = {
        "real_name": person.real_name,
        "designation": person.designation,
        "aliases": list(person.aliases),
        "date_of_birth": person.date_of_birth,
        "relationship": person.relationship,
        "confirmed_names": list(person.confirmed_names),
    }
    person.real_name = _plain(real_name)
    person.designation = _plain(designation)
    person.aliases = _aliases_clean(aliases)
    person.date_of_birth = date_of_birth
    person.relationship = relationship
    person.confirmed_names = _aliases_clean(confirmed_names)
    _person_validate(person)
    changed = [name for name, old in before.items() if getattr(person, name) != old]
    if changed:
        person.save()
        audit_record(actor=actor, action="person.updated", obj=person, detail={"changed": changed})
        if {"real_name", "aliases", "designation", "confirmed_names"} & set(changed):  # what the timeline replaces
            timelines_redraw_later(person.review)
    return person


@transaction.atomic
def person_remove(*, actor: User, person: Person) -> None:
    review_ensure_open(person.review_id)
    if family_log_names(person):
        raise ValidationError(
            f"{person.designation} is named in the family involvement log: remove them from the log first."
        )
    audit_record(actor=actor, action="person.removed", obj=person)
    person.delete()
    timelines_redraw_later(person.review)


def _membership_validate(*, review: Review, user: User, role: str, agency: Agency | None) -> None:
    if role not in ReviewMembership.Role.values:
        raise ValidationError({"role": f'"{role}" is not a review role.'})
    if role in ReviewMembership.AGENCY_ROLES:
        if agency is None:
            raise ValidationError({"agency": "IMR authors and action owners act for an agency: choose one."})
        if agency.partnership_id != review.partnership_id:
            raise ValidationError({"agency": "That agency is not in this partnership's directory."})
    elif agency is not None:
        raise ValidationError({"agency": "Chairs and panel members do not act for an agency: leave it empty."})
    if not user.is_active:
        raise ValidationError({"email": f"The account {user.email} is disabled."})
    if ReviewMembership.objects.filter(review=review, user=user, role=role).exists():
        raise ValidationError({"role": f"{user.display_name} already holds that role in this review."})


@transaction.atomic
def membership_add(
    *, actor: User | None, review: Review, user: User, role: str, agency: Agency | None = None, notify: bool = True
) -> ReviewMembership:
    review_ensure_open(review.pk)
    _membership_validate(review=review, user=user, role=role, agency=agency)
    membership = ReviewMembership.objects.create(review=review, user=user, role=role, agency=agency)
    audit_record(
        actor=actor,
        action="membership.added",
        obj=membership,
        detail={"user": user.username, "role": role, **({"agency": agency.name} if agency else {})},
    )
    if notify:
        role_text = membership.get_role_display() + (f" for {agency.name}" if agency else "")
        # The email names the review by reference only: case details stay behind sign-in.
        notifications.notify(
            recipients=[user],
            review=review,
            subject=f"you have been added to {review.reference}",
            body=f"You have been added to review {review.reference} as {role_text}.",
            link=reverse("reviews:detail", args=[review.pk]),
        )
    return membership


@transaction.atomic
def partnership_logo_set(*, actor: User, partnership: Partnership, data: bytes) -> Partnership:
    """The partnership's logo for its reports' covers, checked by content (reviews.logos) before
    it is stored; a logo it replaces goes from the storage once this is committed."""
    content_type = logo_checked(data)
    digest = hashlib.sha256(data).hexdigest()
    name = file_store(PartnershipLogo, "file", data, ext=content_type.rsplit("/", 1)[-1])
    old = PartnershipLogo.objects.select_for_update().filter(partnership=partnership).first()
    PartnershipLogo.objects.update_or_create(
        partnership=partnership, defaults={"file": name, "content_type": content_type, "sha256": digest}
    )
    if old is not None:
        files_delete_on_commit(old.file.storage, [old.file.name])
    audit_record(
        actor=actor,
        action="partnership.logo_changed",
        obj=partnership,
        partnership=partnership,
        detail={"type": content_type, "bytes": len(data), "sha256": digest},
    )
    return partnership


@transaction.atomic
def partnership_logo_remove(*, actor: User, partnership: Partnership) -> Partnership:
    removed, _by_model = PartnershipLogo.objects.filter(partnership=partnership).delete()
    if removed:
        audit_record(actor=actor, action="partnership.logo_removed", obj=partnership, partnership=partnership)
    return partnership


@transaction.atomic
def membership_panel_role_set(*, actor: User | None, membership: ReviewMembership, panel_role: str) -> ReviewMembership:
    """A chair's or panel member's role on the panel as the report lists it ("Detective
    Inspector, Dorset Police"); empty for none."""
    review_ensure_open(membership.review_id)
    panel_role = normalise(panel_role or "").strip()
    if membership.role not in (ReviewMembership.Role.CHAIR, ReviewMembership.Role.PANEL):
        raise ValidationError(
            {"panel_role": f"{membership.user.display_name} is not on the panel ({membership.get_role_display()})."}
        )
    if problem := one_line_problem(panel_role, "The role on the panel"):
        raise ValidationError({"panel_role": problem})
    if len(panel_role) > 200:
        raise ValidationError({"panel_role": "The role on the panel is longer than 200 characters: shorten it."})
    old = membership.panel_role
    if panel_role != old:
        membership.panel_role = panel_role
        membership.save(update_fields=["panel_role"])
        audit_record(
            actor=actor,
            action="membership.panel_role_changed",
            obj=membership,
            detail={"user": membership.user.username, "from": old, "to": panel_role},
        )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: ReviewMembership) -> None:
    review_ensure_open(membership.review_id)
    if (
        membership.role == ReviewMembership.Role.CHAIR
        and not ReviewMembership.objects.filter(review_id=membership.review_id, role=ReviewMembership.Role.CHAIR)
        .exclude(pk=membership.pk)
        .exists()
        and not PartnershipMembership.objects.filter(
            partnership_id=membership.review.partnership_id, role=PartnershipMembership.Role.BOARD_ADMIN
        ).exists()
    ):
        raise ValidationError("A review must keep a chair or a board administrator.")
    audit_record(
        actor=actor,
        action="membership.removed",
        obj=membership,
        detail={"user": membership.user.username, "role": membership.role},
    )
    Imr.objects.filter(review_id=membership.review_id, author=membership.user, agency=membership.agency).update(
        author=None
    )
    membership.delete()


def _imr_author_validate(*, review: Review, agency: Agency, author: User | None) -> None:
    if author is None:
        return
    if not ReviewMembership.objects.filter(
        review=review, user=author, role=ReviewMembership.Role.IMR_AUTHOR, agency=agency
    ).exists():
        raise ValidationError(
            {"author": f"{author.display_name} is not an IMR author for {agency.name} in this review."}
        )


@transaction.atomic
def imr_request(
    *,
    actor: User | None,
    review: Review,
    agency: Agency,
    due_date: datetime.date | None,
    author: User | None = None,
    status: str = Imr.Status.REQUESTED,
    notify_authors: bool = True,
) -> Imr:
    review_ensure_open(review.pk)
    if agency.partnership_id != review.partnership_id:
        raise ValidationError({"agency": "That agency is not in this partnership's directory."})
    if Imr.objects.filter(review=review, agency=agency).exists():
        raise ValidationError({"agency": f"An IMR has already been requested from {agency.name}."})
    if status not in Imr.Status.values:
        raise ValidationError({"status": f'"{status}" is not an IMR status.'})
    _imr_author_validate(review=review, agency=agency, author=author)
    imr = Imr.objects.create(review=review, agency=agency, due_date=due_date, author=author, status=status)
    audit_record(
        actor=actor,
        action="imr.requested",
        obj=imr,
        object_repr=f"IMR: {agency.name}",
        detail={"due_date": audit_value(due_date)},
    )
    if notify_authors and status == Imr.Status.REQUESTED:
        authors = User.objects.filter(
            review_memberships__review=review,
            review_memberships__role=ReviewMembership.Role.IMR_AUTHOR,
            review_memberships__agency=agency,
        )
        due = f" by {due_date:%-d %B %Y}" if due_date else ""
        notify(
            recipients=authors,
            review=review,
            subject=f"{review.reference}: an IMR is requested from {agency.name}",
            body=f"The panel asks {agency.name} for its Individual Management Review and chronology{due}.",
            link=imr.get_absolute_url(),
        )
    return imr


@transaction.atomic
def imr_update(
    *,
    actor: User,
    imr: Imr,
    due_date: datetime.date | None,
    author: User | None,
    signing_off_manager: str,
) -> Imr:
    # Lock and re-read: the agency may have submitted since the form was drawn, and a
    # whole-row save of the stale copy would undo that.
    imr = Imr.objects.select_for_update().select_related("review", "agency").get(pk=imr.pk)
    review_ensure_open(imr.review_id)
    _imr_author_validate(review=imr.review, agency=imr.agency, author=author)
    changes: dict[str, list[Any]] = {}
    for name, value in (
        ("due_date", due_date),
        ("author", author),
        ("signing_off_manager", signing_off_manager.strip()),
    ):
        old = getattr(imr, name)
        if old != value:
            changes[name] = [str(audit_value(old) or ""), str(audit_value(value) or "")]
            setattr(imr, name, value)
    if changes:
        imr.save(update_fields=[*changes, "updated_at"])
        audit_record(actor=actor, action="imr.updated", obj=imr, object_repr=f"IMR: {imr.agency.name}", detail=changes)
    return imr
