"""Object-level access to documents. The drafts are the panel's: the chair, panel members and
board administrators read them and comment; the chair and board administrators write them.
IMR authors and action owners do not see drafts at all (404).

Handing over a document (and so its sections, revisions, rendered files and publication
report) records the look in the audit trail, once per person and window."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from reports.models import (
    Comment,
    Document,
    DocumentRender,
    GlossaryTerm,
    Publication,
    PublishedArtefact,
    Section,
    SectionRevision,
)
from reports.published_selectors import artefact_of_publication, publication_of_review
from reviews.audit import audit_view
from reviews.models import PublicationDecision
from reviews.permissions import ReviewAccess, change_refused, panel_get_for_user


def document_get_for_user(user: User, review_pk: int, pk: int, *, write: bool = False) -> tuple[ReviewAccess, Document]:
    access = panel_get_for_user(user, review_pk, write=write)
    document = Document.objects.filter(review=access.review, pk=pk).first()
    if document is None:
        raise Http404("No such document")
    document.review = access.review
    audit_view(actor=user, action="document.viewed", obj=document, review=access.review)
    return access, document


def references_get_for_user(user: User, review_pk: int) -> ReviewAccess:
    """The entries, IMRs and terms a document may cite, for the chair and board administrators
    writing it (403 for the rest of the panel); the search shows entries' words, so it is recorded."""
    access = panel_get_for_user(user, review_pk)
    if not access.can_manage:
        raise PermissionDenied
    audit_view(actor=user, action="references.searched", obj=access.review, object_repr="Citable entries")
    return access


def section_get_for_user(
    user: User, review_pk: int, document_pk: int, pk: int, *, write: bool = False, discuss: bool = False
) -> tuple[ReviewAccess, Section]:
    """``discuss``: to comment or suggest changes, which an archived review no longer takes (403)."""
    access, document = document_get_for_user(user, review_pk, document_pk, write=write)
    if discuss and not access.can_discuss:
        raise change_refused(access)
    section = Section.objects.select_related("updated_by").filter(document=document, pk=pk).first()
    if section is None:
        raise Http404("No such section")
    section.document = document
    return access, section


def revision_get_for_user(
    user: User, review_pk: int, document_pk: int, section_pk: int, pk: int, *, write: bool = False
) -> tuple[ReviewAccess, Section, SectionRevision]:
    access, section = section_get_for_user(user, review_pk, document_pk, section_pk, write=write)
    revision = SectionRevision.objects.select_related("author").filter(section=section, pk=pk).first()
    if revision is None:
        raise Http404("No such revision")
    return access, section, revision


def comment_get_for_user(
    user: User, review_pk: int, document_pk: int, section_pk: int, pk: int, *, resolve: bool = False
) -> tuple[ReviewAccess, Section, Comment]:
    """Anyone on the panel reads and replies; a thread is resolved by the chair (or a board
    administrator) or by whoever started it."""
    access, section = section_get_for_user(user, review_pk, document_pk, section_pk, discuss=resolve)
    comment = Comment.objects.filter(section=section, pk=pk).first()
    if comment is None:
        raise Http404("No such comment")
    comment.section = section
    if resolve and not (access.can_manage or comment.author_id == user.pk):
        raise change_refused(access)
    return access, section, comment


def section_get_for_editor(user: User, review_pk: int, document_pk: int, pk: int) -> tuple[ReviewAccess, Section, bool]:
    """The section editor: the chair and board administrators change the text as they like;
    the rest of the panel suggest changes only (the third value, ``suggest_only``: the editor
    opens in suggesting mode and every save is held to it, reports.suggesting). An archived
    review is read-only for everyone (403)."""
    access, section = section_get_for_user(user, review_pk, document_pk, pk, discuss=True)
    return access, section, not access.can_manage


def glossary_term_get_for_user(
    user: User, review_pk: int, pk: int, *, write: bool = False
) -> tuple[ReviewAccess, GlossaryTerm]:
    access = panel_get_for_user(user, review_pk, write=write)
    term = GlossaryTerm.objects.filter(review=access.review, pk=pk).first()
    if term is None:
        raise Http404("No such glossary term")
    return access, term


def document_get_for_render(user: User, review_pk: int, pk: int, *, publication: bool) -> tuple[ReviewAccess, Document]:
    """A document to render: any panel member may have the panel version; the publication
    version is the chair's and the board administrators' (403 for the rest of the panel)."""
    access, document = document_get_for_user(user, review_pk, pk)
    if publication and not access.can_manage:
        raise PermissionDenied
    return access, document


def render_get_for_user(
    user: User, review_pk: int, document_pk: int, pk: int, *, cancel: bool = False
) -> tuple[ReviewAccess, DocumentRender]:
    """A rendered file of a document. The panel's own versions are the panel's; a publication
    version is the chair's and the board administrators' (anyone else: 404, as if it did not
    exist). ``cancel``: a file being made is stopped by whoever asked for it, the chair or a
    board administrator (403 for another member's)."""
    access, document = document_get_for_user(user, review_pk, document_pk)
    row = DocumentRender.objects.filter(document=document, pk=pk).first()
    if row is None or (row.publication and not access.can_manage):
        raise Http404("No such rendered document")
    if cancel and not access.can_manage and row.requested_by_id != user.pk:
        raise PermissionDenied
    row.document = document
    return access, row


def publication_report_get_for_user(user: User, review_pk: int, pk: int) -> tuple[ReviewAccess, Document]:
    """A document's publication report, for the chair's sign-off: the chair's and the board
    administrators' (also once the review is archived, as its audit trail is). The rest of the
    panel, who read the document itself, may not (403)."""
    access, document = document_get_for_user(user, review_pk, pk)
    if not access.can_read_audit:
        raise PermissionDenied
    return access, document


def publication_decision_get_for_user(
    user: User, review_pk: int, document_pk: int, pk: int
) -> tuple[ReviewAccess, Document, PublicationDecision]:
    """An acknowledgement or a redaction of the review, withdrawn from a document's publication
    preview by the chair or a board administrator."""
    access, document = document_get_for_user(user, review_pk, document_pk, write=True)
    decision = PublicationDecision.objects.filter(review=access.review, pk=pk).first()
    if decision is None:
        raise Http404("No such publication decision")
    decision.review = access.review
    return access, document, decision


def publication_get_for_user(user: User, review_pk: int, pk: int) -> tuple[ReviewAccess, Publication]:
    """A publication of the review, its frozen files and the publication report kept with it:
    the chair's and the board administrators' (also once the review is archived or purged). The
    rest of the panel may not (403); anyone else, or another review's publication: 404."""
    access = panel_get_for_user(user, review_pk)
    if not access.can_read_audit:
        raise PermissionDenied
    publication = publication_of_review(access.review, pk)
    if publication is None:
        raise Http404("No such publication")
    audit_view(actor=user, action="publication.viewed", obj=publication, review=access.review)
    return access, publication


def published_artefact_get_for_user(
    user: User, review_pk: int, publication_pk: int, pk: int
) -> tuple[ReviewAccess, Publication, PublishedArtefact]:
    """A frozen file of a publication, with its bytes, for download."""
    access, publication = publication_get_for_user(user, review_pk, publication_pk)
    artefact = artefact_of_publication(publication, pk)
    if artefact is None:
        raise Http404("No such published file")
    return access, publication, artefact
