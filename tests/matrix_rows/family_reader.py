"""The family reads the draft: the chair's pages (the chair and board administrators; the review's
other members are refused, 403) and the family reader's own (theirs alone, 404 for everyone else)."""

from __future__ import annotations

import datetime
import uuid

from django.utils import timezone

from tests.conftest import World, family_reading
from tests.matrix import Row, expect

CHAIR_SIDE = {"chair": 200, "board_admin": 200, "panel": 403, "author_a": 403, "author_b": 403, "owner": 403}
CHAIR_SIDE_SAVED = {**CHAIR_SIDE, "chair": 302, "board_admin": 302}


def readers_args(w: World) -> list:
    """The review, with its family reader (and so its two documents) in place."""
    family_reading(w)
    return [w.review.pk]


def reader_args(w: World) -> list:
    return [w.review.pk, family_reading(w).pk]


def invite_data(w: World) -> dict:
    return {
        "name": "Paul Marsh",
        "relationship": "the victim's brother",
        "email": "paul.marsh@example.org",
        "access_until": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        "overview_version": "now",
        "executive_summary_version": "now",
    }


def version_args(w: World) -> list:
    reader = family_reading(w)
    return [reader.pk, reader.versions.get(document__kind="overview").pk]


def others_version_args(w: World) -> list:
    """A version someone else was invited to read (their invitation not yet accepted)."""
    from accounts.models import Invitation
    from reports.family_models import FamilyReader, FamilyReaderVersion

    reading = family_reading(w)
    invitation = Invitation.objects.create(
        email="another.relative@example.org",
        purpose=Invitation.Purpose.FAMILY_READER,
        partnership=w.review.partnership,
        review=w.review,
        token_hash=uuid.uuid4().hex,
        invited_by=w.chair,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    reader = FamilyReader.objects.create(
        review=w.review, invitation=invitation, name="Ann Marsh", relationship="the victim's aunt",
        access_until=reading.access_until, created_by=w.chair,
    )  # fmt: skip
    version = FamilyReaderVersion.objects.create(reader=reader, document=reading.versions.first().document, label="x")
    return [reader.pk, version.pk]


def ended_version_args(w: World) -> list:
    """The family reader's own version, after the chair withdrew their access."""
    from reports.family_models import FamilyReader

    args = version_args(w)
    FamilyReader.objects.filter(pk=args[0]).update(withdrawn_at=timezone.now(), withdrawn_by=w.chair)
    return args


def comment_data(w: World) -> dict:
    return {"section": "", "text": "Her name was spelled wrongly in places."}


ROWS: list[Row] = [
    # --- the chair's side ---
    Row("reports:family_readers", "GET", readers_args, expect(404, **CHAIR_SIDE)),
    Row("reports:family_reader_invite", "GET", readers_args, expect(404, **CHAIR_SIDE)),
    Row("reports:family_reader_invite", "POST", readers_args, expect(404, **CHAIR_SIDE_SAVED), data=invite_data),
    Row("reports:family_reader_withdraw", "POST", reader_args, expect(404, **CHAIR_SIDE_SAVED)),
    Row(
        "reports:family_response_add",
        "POST",
        readers_args,
        expect(404, **CHAIR_SIDE_SAVED),
        data=lambda w: {"reader": "", "response": "They asked for her full name.", "changes": "Section 2 says so."},
    ),
    # --- the family reader's own pages ---
    Row("reports:family_home", "GET", lambda w: [], expect(404, family_reader=200)),
    Row("reports:family_version", "GET", version_args, expect(404, family_reader=200)),
    Row("reports:family_version", "GET", others_version_args, expect(404), label="(someone else's)"),
    Row("reports:family_version", "GET", ended_version_args, expect(404), label="(access withdrawn)"),
    Row("reports:family_comment_add", "POST", version_args, expect(404, family_reader=302), data=comment_data),
    Row(
        "reports:family_comment_add",
        "POST",
        ended_version_args,
        expect(404),
        data=comment_data,
        label="(access withdrawn)",
    ),
]
