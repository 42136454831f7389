"""Object-level access to the chronology's objects: one helper per object, on top of the
review's (reviews.permissions: imr_content_get_for_user for an agency's chronology,
integrated_get_for_user for the integrated one, which record the look). Each returns the
access with the object, or raises: anything the user may not read is 404; a change by someone
who may only read is 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from chronology.models import (
    ChronologyEntry,
    ChronologyExport,
    ChronologyUpload,
    IntegratedChronology,
    KeyEpisode,
    SuggestedLink,
)
from reviews.models import Imr, PublicationDecision
from reviews.permissions import ReviewAccess, imr_content_get_for_user, integrated_get_for_user


def chronology_export_for(
    user: User, review_pk: int, pk: int, *, download: bool = False, stop: bool = False
) -> tuple[ReviewAccess, ChronologyExport]:
    """An export of the review's integrated chronology: the panel's, as the chronology is.
    ``download``: a ready one only, with its file (any other: 404). Otherwise without the file.
    ``stop``: another member's export is theirs or the chair's to stop (403 for anyone else)."""
    access = integrated_get_for_user(user, review_pk)
    exports = ChronologyExport.objects.select_related("chronology__review").filter(chronology__review=access.review)
    if download:
        export = exports.filter(pk=pk, status=ChronologyExport.Status.READY).first()
    else:
        export = exports.filter(pk=pk).first()
    if export is None:
        raise Http404("No such export")
    if stop and not access.can_manage and export.requested_by_id != user.pk:
        raise PermissionDenied
    return access, export


def integrated_version_for(
    user: User, review_pk: int, version: int, *, write: bool = False
) -> tuple[ReviewAccess, IntegratedChronology]:
    """A built version of the review's integrated chronology, without its timeline picture
    (megabytes on a large chronology; the page asks for it on its own)."""
    access = integrated_get_for_user(user, review_pk, write=write)
    chronology = _built_versions(access).filter(version=version).first()
    if chronology is None:
        raise Http404("No such version")
    return access, chronology


def version_number(value: str | None) -> int | None:
    """A version number as typed in a query string, or None: ASCII digits ("²" is a digit to
    Python, not to int()), short enough for the column."""
    if value and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return None


def _built_versions(access: ReviewAccess) -> QuerySet[IntegratedChronology]:
    # Without the timeline picture: megabytes on a large chronology, asked for on its own (the timeline view).
    return access.review.integrated_chronologies.filter(status=IntegratedChronology.Status.READY).defer("timeline_svg")


def integrated_shown_for(
    user: User, review_pk: int, version: str | None
) -> tuple[ReviewAccess, IntegratedChronology | None]:
    """The built version a page shows: the one asked for (``?v=``), else the latest; None when no
    version is built yet. A version asked for that is not built (or not a number) is 404."""
    access = integrated_get_for_user(user, review_pk)
    built = _built_versions(access)
    if not version:
        return access, built.order_by("-version").first()
    number = version_number(version)
    chronology = built.filter(version=number).first() if number is not None else None
    if chronology is None:
        raise Http404("No such version")
    return access, chronology


def integrated_versions_for(
    user: User, review_pk: int, old: int, new: int
) -> tuple[ReviewAccess, IntegratedChronology, IntegratedChronology]:
    """Two built versions of the review's integrated chronology, to compare."""
    access = integrated_get_for_user(user, review_pk)
    built = _built_versions(access)
    first, second = built.filter(version=old).first(), built.filter(version=new).first()
    if first is None or second is None:
        raise Http404("Choose two built versions")
    return access, first, second


def integrated_build_for(
    user: User, review_pk: int, pk: int, *, write: bool = False
) -> tuple[ReviewAccess, IntegratedChronology]:
    """A version of the review's integrated chronology in any state (waiting, building, failed,
    built), as its build's progress shows it."""
    access = integrated_get_for_user(user, review_pk, write=write)
    build = access.review.integrated_chronologies.filter(pk=pk).first()
    if build is None:
        raise Http404("No such build")
    return access, build


def suggested_link_for(
    user: User, review_pk: int, pk: int, *, write: bool = False
) -> tuple[ReviewAccess, SuggestedLink]:
    """A suggested link of any version of the review's integrated chronology."""
    access = integrated_get_for_user(user, review_pk, write=write)
    link = SuggestedLink.objects.filter(pk=pk, chronology__review=access.review).first()
    if link is None:
        raise Http404("No such link")
    return access, link


def key_episode_for(user: User, review_pk: int, pk: int, *, write: bool = False) -> tuple[ReviewAccess, KeyEpisode]:
    """A key practice episode of the review: the panel reads them; the chair and board administrators change them."""
    access = integrated_get_for_user(user, review_pk, write=write)
    episode = KeyEpisode.objects.filter(review=access.review, pk=pk).first()
    if episode is None:
        raise Http404("No such episode")
    return access, episode


def entry_publication_decision_for(
    user: User, review_pk: int, version: int, pk: int
) -> tuple[ReviewAccess, IntegratedChronology, PublicationDecision]:
    """The chair's standing decision on an entry's field (a redaction, a name confirmed, a finding
    acknowledged), withdrawn from a built version's publication check by the chair or a board
    administrator. Decisions on the review's documents are not this page's (404)."""
    access, chronology = integrated_version_for(user, review_pk, version, write=True)
    decision = access.review.publication_decisions.filter(pk=pk, scope__startswith="entry:").first()
    if decision is None:
        raise Http404("No such publication decision")
    return access, chronology, decision


def chronology_entry_for(
    user: User, review_pk: int, imr_pk: int, pk: int, *, write: bool = False
) -> tuple[ReviewAccess, Imr, ChronologyEntry]:
    """An entry of an IMR's chronology, for whoever may read (or, ``write``, change) its content."""
    access, imr = imr_content_get_for_user(user, review_pk, imr_pk, write=write)
    entry = ChronologyEntry.objects.filter(imr=imr, pk=pk).first()
    if entry is None:
        raise Http404("No such entry")
    return access, imr, entry


def chronology_upload_for(
    user: User, review_pk: int, imr_pk: int, pk: int, *, poll: bool = False
) -> tuple[ReviewAccess, Imr, ChronologyUpload]:
    """An uploaded file of an IMR's chronology while it waits for import, for the IMR's author
    while they may change the chronology; anything else (another IMR's, imported, discarded) is
    404. ``poll``: a status poll, which reads the same (the row names its stored files only)."""
    access, imr = imr_content_get_for_user(user, review_pk, imr_pk, write=True)
    upload = ChronologyUpload.objects.filter(imr=imr, pk=pk, outcome=ChronologyUpload.Outcome.WAITING).first()
    if upload is None:
        raise Http404("No such upload")
    return access, imr, upload
