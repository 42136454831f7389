"""Emails about the work: written as Notification rows inside the change's transaction and
sent by a task once it commits."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction

from accounts.models import User
from reviews.models import Notification, Review


def notify(*, recipients: Iterable[User], review: Review | None, subject: str, body: str, link: str = "") -> None:
    """Queue one email per recipient (each at most once) for after the transaction commits."""
    from reviews.tasks import notification_send

    if link:
        body = f"{body}\n\n{settings.SITE_URL}{link}\n"
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen or not user.is_active or not user.email:
            continue
        seen.add(user.pk)
        notification = Notification.objects.create(recipient=user, review=review, subject=subject, body=body)
        transaction.on_commit(partial(notification_send.delay, notification.pk))
