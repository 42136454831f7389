"""An archived review is read-only for everyone until a board administrator reopens it.

The access helpers refuse every change to an archived review (a 403 saying so); the services
that change a review's data check again, on the row as it stands, so that nothing reaches them
by another path (a form of the partnership, an invitation accepted later, a task)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from reviews.models import Review

ARCHIVED_MESSAGE = "This review is archived: it can no longer be changed."
NOT_PROCEEDING_MESSAGE = (
    "The partnership decided not to hold a full review: this review is closed and read-only. "
    "Record the decision again on its scoping page to open it."
)


def review_ensure_open(review_id: int) -> None:
    """Refuse a change to an archived review, whatever the caller was holding."""
    state = Review.objects.filter(pk=review_id).values_list("archived_at", "stage").first()
    if state and state[0] is not None:
        raise ValidationError(ARCHIVED_MESSAGE)
    if state and state[1] == Review.Stage.NOT_PROCEEDING:
        raise ValidationError(NOT_PROCEEDING_MESSAGE)
