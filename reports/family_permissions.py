"""Access for the family reading the draft.

The chair's side (inviting, withdrawing, reading the family's comments, recording the family's
response) is the chair's and the board administrators': the rest of the review's members are
refused (403), anyone else finds no review (404).

The family reader's side answers only to the account that accepted the invitation, while its
access lasts: anyone else, or the reader once access has ended or been withdrawn, gets 404. The
reader holds no review role, so every other page of the review already answers them 404. Every
look at a version is recorded in the review's audit trail, each one (not once per window as
panel members' looks are): the chair is asked who in the family read what, and when."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from reports.family_models import FamilyReader, FamilyReaderVersion
from reports.family_selectors import readers_for_user
from reviews.archived import ARCHIVED_MESSAGE
from reviews.audit import audit_record, audit_view
from reviews.permissions import ReviewAccess, change_refused, review_get_for_user


def family_readers_get_for_user(user: User, review_pk: int, *, write: bool = False) -> ReviewAccess:
    """The review's family readers, their comments and the family's responses: the chair's and
    board administrators' (403 for the review's other members). Reading them is recorded."""
    access = review_get_for_user(user, review_pk)
    if not access.can_read_audit:
        raise PermissionDenied
    if write and not access.can_manage:
        raise change_refused(access)
    if not write:
        audit_view(actor=user, action="family_readers.viewed", obj=access.review, object_repr="Family readers")
    return access


def family_reader_get_for_user(user: User, review_pk: int, pk: int) -> tuple[ReviewAccess, FamilyReader]:
    """One family reader of the review, to change (withdraw): 404 for another review's."""
    access = family_readers_get_for_user(user, review_pk, write=True)
    reader = FamilyReader.objects.select_related("invitation").filter(review=access.review, pk=pk).first()
    if reader is None:
        raise Http404("No such family reader")
    return access, reader


def family_readings_get_for_user(user: User) -> tuple[list[FamilyReader], list[FamilyReader]]:
    """The signed-in person's readings, (current, ended); 404 for someone who was never invited
    to read the draft."""
    readers = readers_for_user(user) if user.is_authenticated and user.is_active else []
    if not readers:
        raise Http404("No reading")
    current = [reader for reader in readers if not reader.has_ended]
    return current, [reader for reader in readers if reader.has_ended]


def family_version_get_for_user(
    user: User, reader_pk: int, pk: int, *, write: bool = False
) -> tuple[FamilyReader, FamilyReaderVersion]:
    """A version the signed-in person was invited to read, while access lasts (404 otherwise).
    ``write``: to comment, which an archived review no longer takes (403). Each look is recorded."""
    current, _ended = family_readings_get_for_user(user)
    reader = next((reader for reader in current if reader.pk == reader_pk), None)
    version = next((version for version in reader.versions.all() if version.pk == pk), None) if reader else None
    if reader is None or version is None:
        raise Http404("No such version")
    version.reader = reader
    if write and reader.review.archived_at is not None:
        raise PermissionDenied(ARCHIVED_MESSAGE)
    if not write:
        audit_record(
            actor=user,
            action="family_reader.viewed",
            obj=version,
            review=reader.review,
            object_repr=f"{version.document.get_kind_display()} (family reader's version)",
            detail={"reader": reader.pk, "version": version.label},
        )
    return reader, version
