"""An archived review is read-only for everyone until a board administrator reopens it.

The access helpers refuse every change to an archived review (a 403 saying so); the services
that change a review's data check again, on the row as it stands, so that nothing reaches them
by another path (a form of the partnership, an invitation accepted later, a task)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from reviews.models import Review

ARCHIVED_MESSAGE = "This review is archived: it can no longer be changed."


def review_ensure_open(review_id: int) -> None:
    """Refuse a change to an archived review, whatever the caller was holding."""
    if Review.objects.filter(pk=review_id, archived_at__isnull=False).exists():
        raise ValidationError(ARCHIVED_MESSAGE)
