"""Writes for a document as a whole: creating it with its layout's sections, its paragraph
numbering, and its status (draft, panel review, approved, published), with the guard every
change to its sections asks first, and the refusal of approval, publication and a publication
render while a section holds both versions of paragraphs after a conflict merge. Each owns
its transaction and audits the change."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Exists, F, Q, TextField, Value, When
from django.db.models.functions import Length
from django.utils import timezone

from accounts.models import User
from actions.models import Recommendation
from reports import briefing, published_services, richtext
from reports.compose_structure import has_text
from reports.diff import conflict_markers
from reports.layouts import RECOMMENDATIONS, layout_for
from reports.models import Document, DocumentStatusChange, Section
from reports.publication_check import PublicationReport, publication_report
from reviews.audit import audit_record
from reviews.models import Review
from reviews.publication import normalise


def document_check_editable(document: Document) -> None:
    """Refused (ValidationError) once the document is approved or published: every change to
    its sections and their text asks this first, inside its own transaction."""
    # Read the status afresh: the caller's copy may be older than someone's approval.
    # Locked, so an approval cannot slip in between this check and the save.
    document.status = Document.objects.select_for_update().filter(pk=document.pk).values_list("status", flat=True).get()
    if document.is_locked:
        raise ValidationError(
            f"The {document.get_kind_display().lower()} is {document.get_status_display().lower()}: "
            "move it back to draft before changing it."
        )


def _check_publishable(document: Document) -> PublicationReport:
    """Published only while its publication check passes: the same run the publication
    preview shows and every publication render makes (reports.publication_check). Returns the
    publication report, kept with the publication."""
    report = publication_report(document)
    check = report.check
    if not check.passed:
        count = len(check.blocking) + len(check.unresolved)
        raise ValidationError(
            f"The {document.get_kind_display().lower()} cannot be published: the publication check finds "
            f"{count} problem{'s' if count != 1 else ''} (see the publication version). " + "; ".join(check.problems())
        )
    return report


@dataclass(frozen=True)
class MergeNotes:
    """A section still holding the note a conflict merge left (reports.diff.CONFLICT_NOTE), and
    how many: both versions of some of its paragraphs are in its text."""

    pk: int
    title: str
    count: int


NOTE_NEARBY = r"both[\s\S]{0,40}versions[\s\S]{0,40}next[\s\S]{0,40}paragraph"


def sections_with_merge_notes(document: Document) -> list[MergeNotes]:
    """The document's sections, in order, whose text still holds both versions of paragraphs two
    people changed at once: the chair has not yet chosen one and deleted the other."""
    # The database picks the sections whose text may hold one (the note's words, with room for
    # markup or entities between them), so the page reads no other section's text.
    rows = document.sections.filter(body__iregex=NOTE_NEARBY).order_by("position").values_list("pk", "title", "body")
    return [MergeNotes(pk, title, count) for pk, title, body in rows if (count := conflict_markers(body))]


def merge_notes_refusal(document: Document, doing: str) -> None:
    """Refused (ValidationError naming the sections) while a merge note is unresolved: `doing`
    is what is refused ("approved", "published", "rendered as a publication version")."""
    noted = sections_with_merge_notes(document)
    if noted:
        names = "; ".join(f'"{section.title}"' for section in noted)
        raise ValidationError(
            f"The {document.get_kind_display().lower()} cannot be {doing}: "
            f"{'these sections still hold' if len(noted) > 1 else 'this section still holds'} both versions of "
            f"paragraphs two people changed at once: {names}. In each, choose one version and delete the other "
            "with the note above them."
        )


_SHORT = 400  # characters of markup: more than any section with no words has
_WRITTEN = "<p>written</p>"  # what empty_sections reads for a section it need not read


@dataclass(frozen=True)
class EmptySection:
    """A section with no words yet (reports.compose_structure.has_text; a data block's token counts)."""

    pk: int
    number: int  # as the panel version numbers it
    title: str


def empty_sections(document: Document) -> list[EmptySection]:
    """The document's sections, in order, with no text as accepted: a publication version leaves
    them out or is refused (Document.empty_sections), a panel version notes "No text yet.". A
    recommendations section is not empty while the review has recommendations: it prints them."""
    # One query, reading only the text that may have no words: a short one, or one whose words may
    # all be suggestions not yet accepted (a long written section is not read at all).
    maybe_empty = Q(body_length__lt=_SHORT) | Q(body__contains=" data-change=")
    rows = (
        document.sections.order_by("position", "pk")
        .annotate(body_length=Length("body"))
        .annotate(maybe=Case(When(maybe_empty, then=F("body")), default=Value(_WRITTEN), output_field=TextField()))
        .annotate(recommended=Exists(Recommendation.objects.filter(review_id=document.review_id)))
        .values_list("pk", "title", "kind", "maybe", "recommended")
    )
    found = []
    for number, (pk, title, kind, body, recommended) in enumerate(rows, start=1):
        if body == _WRITTEN or has_text(richtext.blocks(richtext.accepted(body))):
            continue
        if kind == Section.Kind.RECOMMENDATIONS and recommended:
            continue
        found.append(EmptySection(pk, number, title))
    return found


def empty_sections_refusal(document: Document, doing: str) -> None:
    """Refused (ValidationError naming the sections) while a section is empty and the chair has
    chosen that an empty section stops publication; `doing` as for merge_notes_refusal."""
    if document.empty_sections != Document.EmptySections.BLOCK:
        return
    empty = empty_sections(document)
    if empty:
        names = "; ".join(f'{section.number}. "{section.title}"' for section in empty)
        raise ValidationError(
            f"The {document.get_kind_display().lower()} cannot be {doing}: "
            f"{'these sections have' if len(empty) > 1 else 'this section has'} no text yet: {names}. "
            f"Write {'them' if len(empty) > 1 else 'it'}, remove {'them' if len(empty) > 1 else 'it'}, or choose "
            "on the document page to leave empty sections out of the publication version."
        )


@transaction.atomic
def document_create(*, review: Review, kind: str, actor: User) -> Document:
    """The document with the sections of the review type's layout, all empty; a learning
    briefing's written from the review's data and documents (reports.briefing)."""
    if kind not in Document.Kind.values:
        raise ValidationError(f"Unknown document kind {kind!r}.")
    if Document.objects.filter(review=review, kind=kind).exists():
        raise ValidationError(f"This review already has an {Document.Kind(kind).label.lower()}.")
    document = Document.objects.create(review=review, kind=kind, created_by=actor)
    Section.objects.bulk_create(
        Section(
            document=document,
            title=title,
            position=position,
            kind=Section.Kind.RECOMMENDATIONS if title == RECOMMENDATIONS else Section.Kind.TEXT,
        )
        for position, title in enumerate(layout_for(review.review_type, kind), start=1)
    )
    if kind == Document.Kind.LEARNING_BRIEFING:
        briefing.briefing_write(document=document, actor=actor)
    audit_record(actor=actor, action="document.created", obj=document, review=review)
    return document


@transaction.atomic
def document_numbering_set(*, document: Document, numbering: str, actor: User, empty_sections: str = "") -> Document:
    """The paragraph numbering and, when sent, what publication does with an empty section: both
    checked before either is saved."""
    if numbering not in Document.Numbering.values:
        raise ValidationError("Choose continuous or per-section paragraph numbering.")
    if empty_sections and empty_sections not in Document.EmptySections.values:
        raise ValidationError(
            "Choose what publication does with an empty section: leave it out of the publication version, or "
            "refuse to publish."
        )
    if document.numbering != numbering:
        document.numbering = numbering
        document.save(update_fields=["numbering"])
        audit_record(actor=actor, action="document.numbering_changed", obj=document, detail={"numbering": numbering})
    if empty_sections and document.empty_sections != empty_sections:
        document.empty_sections = empty_sections
        document.save(update_fields=["empty_sections"])
        audit_record(
            actor=actor, action="document.empty_sections_changed", obj=document,
            detail={"empty_sections": empty_sections},
        )  # fmt: skip
    return document


@transaction.atomic
def document_status_change(*, document: Document, to_status: str, actor: User, note: str = "") -> Document:
    note = normalise(note)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if to_status not in document.next_statuses():
        wanted = Document.Status(to_status).label.lower() if to_status in Document.Status.values else repr(to_status)
        raise ValidationError(f"A {document.get_status_display().lower()} document cannot move to {wanted}.")
    withdrawn = document.status == Document.Status.PUBLISHED
    if withdrawn and not note.strip():
        raise ValidationError("Say why the document is withdrawn from publication: the reason is kept in its history.")
    if to_status in (Document.Status.APPROVED, Document.Status.PUBLISHED):
        merge_notes_refusal(document, Document.Status(to_status).label.lower())
        empty_sections_refusal(document, Document.Status(to_status).label.lower())
    frozen = None
    if to_status == Document.Status.PUBLISHED:
        report = _check_publishable(document)
        # The files it is published with, made for it as it will read once published.
        frozen = (published_services.publication_files_refusal(document), report)
    DocumentStatusChange.objects.create(
        document=document,
        from_status=document.status,
        to_status=to_status,
        changed_by=actor,
        note=note[:500],
    )
    audit_record(
        actor=actor,
        action="document.publication_withdrawn" if withdrawn else "document.status_changed",
        obj=document,
        detail={"from": document.status, "to": to_status, "note": note[:500]},
    )
    document.status = to_status
    document.status_changed_at = timezone.now()
    document.status_changed_by = actor
    document.save(update_fields=["status", "status_changed_at", "status_changed_by"])
    if frozen is not None:
        published_services.publication_freeze(document=document, renders=frozen[0], report=frozen[1], actor=actor)
    if withdrawn:  # its files stay, listed as superseded, with the reason
        published_services.publication_supersede(document=document, reason=note[:500], actor=actor)
    return document
