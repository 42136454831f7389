"""The audit trail: every meaningful change is recorded by the service that makes it,
inside the same transaction, so a change and its record stand or fall together; and every
look at a sensitive record (``audit_view``) is recorded by the view that shows it."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from accounts.models import User
from reviews.models import AuditEntry, Partnership, Review


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    review: Review | None = None,
    partnership: Partnership | None = None,
    detail: dict[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    """Write one audit entry. ``review`` and ``partnership`` are taken from ``obj`` when it
    is a review or has one, so the entry shows on the review's and the board's audit pages."""
    if review is None:
        review = obj if isinstance(obj, Review) else getattr(obj, "review", None)
    if partnership is None:
        if review is not None:
            partnership = review.partnership
        elif isinstance(obj, Partnership):
            partnership = obj
        else:
            partnership = getattr(obj, "partnership", None)
    return AuditEntry.objects.create(
        actor=actor,
        actor_name=actor.display_name if actor else "system",
        action=action,
        partnership=partnership,
        review=review,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        object_repr=(object_repr if object_repr is not None else str(obj))[:200],
        detail=detail or {},
    )


# One entry per person, record and kind of look in this window: the trail answers "who saw
# this, and when" without a row for every page refresh.
VIEW_AUDIT_WINDOW = datetime.timedelta(minutes=10)


def audit_view(
    *,
    actor: User,
    action: str,
    obj: models.Model,
    review: Review | None = None,
    detail: dict[str, Any] | None = None,
    object_repr: str | None = None,
) -> AuditEntry | None:
    """Record that ``actor`` looked at (or downloaded) a sensitive record: chronologies, IMRs,
    the person register, documents and exports. Repeats within ``VIEW_AUDIT_WINDOW`` are one
    entry. Written whatever the request does next, like any other audit entry."""
    since = timezone.now() - VIEW_AUDIT_WINDOW
    recent = AuditEntry.objects.filter(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk or ""),
        created_at__gte=since,
    )
    if review is not None:
        recent = recent.filter(review=review)  # the review's audit index narrows the search
    if recent.exists():
        return None
    return audit_record(actor=actor, action=action, obj=obj, review=review, detail=detail, object_repr=object_repr)


def audit_value(value: Any) -> Any:
    """A value as the audit detail keeps it: dates and times as ISO text."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value
