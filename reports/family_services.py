"""Writes for the family reading the draft: the chair's invitation (through the one invitation
mechanism, accounts.services.invitation_create), its withdrawal, the reader's comments and the
family's response as the chair records it. Each is atomic and audited in its transaction."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.services import invitation_create, invitation_withdraw
from reports.family_models import FamilyComment, FamilyReader, FamilyReaderVersion, FamilyResponse
from reports.family_selectors import NOW, VersionChoice, revisions_at, version_choices
from reports.models import Document
from reviews.archived import review_ensure_open
from reviews.audit import audit_record
from reviews.models import Review

# The longest a chair may give a family member to read the draft in one invitation.
LONGEST_ACCESS = datetime.timedelta(days=366)


def _chosen(document: Document, value: str) -> VersionChoice:
    """The moment of the document's history ``value`` names, among those it offers."""
    for choice in version_choices(document):
        if choice.value == value:
            return choice
    raise ValidationError(
        {f"{document.kind}_version": f"Choose a version of the {document.get_kind_display().lower()} from its history."}
    )


def _access_until_check(access_until: datetime.date) -> None:
    today = timezone.localdate()
    if access_until < today:
        raise ValidationError({"access_until": "The date access ends must be today or later."})
    if access_until > today + LONGEST_ACCESS:
        raise ValidationError({"access_until": "Access can last a year at most: choose an earlier date."})


@transaction.atomic
def family_reader_invite(
    *,
    actor: User,
    review: Review,
    name: str,
    relationship: str,
    email: str,
    access_until: datetime.date,
    versions: dict[Document, str],
) -> FamilyReader:
    """Invite a family member (or their advocate) to read the chosen version of each document,
    until the end of ``access_until``. The emailed link works as any invitation's does, and never
    beyond the access it opens."""
    review_ensure_open(review.pk)
    _access_until_check(access_until)
    if not versions:
        raise ValidationError("The review has no overview report or executive summary to read yet.")
    chosen = {document: _chosen(document, value) for document, value in versions.items()}
    reader = FamilyReader(review=review, name=name.strip(), relationship=relationship.strip())
    reader.access_until = access_until
    reader.invitation = invitation_create(
        actor=actor,
        partnership=review.partnership,
        email=email,
        review=review,
        purpose=Invitation.Purpose.FAMILY_READER,
        expires_at=reader.ends_at,
    )
    reader.created_by = actor
    reader.save()
    for document, choice in chosen.items():
        revisions = revisions_at(document, choice.moment)
        label = choice.label if choice.value != NOW else f"As it read on {timezone.localtime():%-d %B %Y at %H:%M}"
        version = FamilyReaderVersion.objects.create(reader=reader, document=document, label=label)
        version.revisions.set(revisions)
    audit_record(
        actor=actor,
        action="family_reader.invited",
        obj=reader,
        review=review,
        detail={
            "access_until": access_until.isoformat(),
            "versions": {document.kind: choice.value for document, choice in chosen.items()},
        },
    )
    return reader


@transaction.atomic
def family_reader_withdraw(*, actor: User, reader: FamilyReader) -> FamilyReader:
    """End a family reader's access now; a link not yet used is withdrawn with it."""
    reader = FamilyReader.objects.select_for_update().select_related("invitation").get(pk=reader.pk)
    review_ensure_open(reader.review_id)
    if reader.withdrawn_at is not None:
        raise ValidationError(f"Access for {reader.name} was withdrawn already.")
    invitation = reader.invitation
    if invitation.accepted_at is None and invitation.withdrawn_at is None:
        invitation_withdraw(actor=actor, invitation=invitation)
    reader.withdrawn_at = timezone.now()
    reader.withdrawn_by = actor
    reader.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(actor=actor, action="family_reader.withdrawn", obj=reader, review=reader.review)
    return reader


@transaction.atomic
def family_comment_add(*, actor: User, version: FamilyReaderVersion, section_title: str, text: str) -> FamilyComment:
    """A family reader's comment on the version, generally (``section_title`` empty) or on one of
    its sections; only the chair's side of the review reads it."""
    review_ensure_open(version.reader.review_id)
    if version.reader.has_ended:
        raise ValidationError("Your access to this draft has ended: the comment was not sent.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write your comment before sending it."})
    titles = set(version.revisions.values_list("title", flat=True))
    if section_title and section_title not in titles:
        raise ValidationError({"section": "Choose a section of this version, or the whole document."})
    comment = FamilyComment.objects.create(version=version, section_title=section_title, author=actor, text=text)
    audit_record(
        actor=actor,
        action="family_comment.added",
        obj=comment,
        review=version.reader.review,
        object_repr=f"Family comment on the {version.document.get_kind_display().lower()}",
        detail={"section": section_title} if section_title else {},
    )
    return comment


@transaction.atomic
def family_response_record(
    *, actor: User, review: Review, reader: FamilyReader | None, response: str, changes: str
) -> FamilyResponse:
    """The family's response to the draft, as the chair records it, and how the report changed."""
    review_ensure_open(review.pk)
    if reader is not None and reader.review_id != review.pk:
        raise ValidationError({"reader": "Choose one of this review's family readers."})
    if not response.strip():
        raise ValidationError({"response": "Write what the family said about the draft."})
    record = FamilyResponse.objects.create(
        review=review, reader=reader, response=response.strip(), changes=changes.strip(), recorded_by=actor
    )
    audit_record(actor=actor, action="family_response.recorded", obj=record, review=review)
    return record
