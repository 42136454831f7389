"""Object-level access to a review's submission: its page, packs and feedback are the chair's and
the board administrators' (the rest of the panel: 403; anyone else: 404, as if it did not exist).
Changes need a review that is not archived."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import User
from reports.submission_models import SubmissionPack
from reviews.audit import audit_view
from reviews.permissions import ReviewAccess, change_refused, review_get_for_user


def submission_get_for_user(user: User, review_pk: int, *, write: bool = False) -> ReviewAccess:
    access = review_get_for_user(user, review_pk)
    if not access.is_panel:
        raise Http404("No such review")
    if not access.can_read_audit:
        raise PermissionDenied
    if write and not access.can_manage:
        raise change_refused(access)
    audit_view(
        actor=user, action="submission.viewed", obj=access.review, object_repr=f"Submission, {access.review.reference}"
    )
    return access


def submission_pack_get_for_user(
    user: User, review_pk: int, pk: int, *, write: bool = False
) -> tuple[ReviewAccess, SubmissionPack]:
    """A pack of the review (without its bytes)."""
    access = submission_get_for_user(user, review_pk, write=write)
    pack = SubmissionPack.objects.filter(review=access.review, pk=pk).first()
    if pack is None:
        raise Http404("No such submission pack")
    pack.review = access.review
    return access, pack
