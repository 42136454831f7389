"""The scoping page (the chair's and board administrators'; nobody else learns it exists) and the
board's list of decisions (its board administrators')."""

from __future__ import annotations

import datetime

from tests.conftest import World
from tests.matrix import Row, expect

SCOPERS = {"board_admin": 200, "chair": 200}
SCOPERS_SAVE = {"board_admin": 302, "chair": 302}


def review_args(w: World) -> list:
    return [w.review.pk]


def notified_args(w: World) -> list:
    """The review with its notification recorded, so a decision can be made on it."""
    from reviews.scoping_models import ScopingRecord

    w.review.notification_date = datetime.date(2026, 1, 5)
    w.review.save(update_fields=["notification_date"])
    ScopingRecord.objects.create(review=w.review, notified_by="DI Rao", circumstances="A death at home.")
    return [w.review.pk]


def information_args(w: World) -> list:
    from reviews.scoping_models import ScopingInformation

    information = ScopingInformation.objects.create(
        review=w.review, agency=w.agency_a, requested_on=datetime.date(2026, 1, 6)
    )
    return [w.review.pk, information.pk]


def notification_data(w: World) -> dict:
    return {
        "notification-received_on": "2026-01-05",
        "notification-notified_by": "DI Rao, Northshire Police",
        "notification-notifying_agency": w.agency_a.pk,
        "notification-circumstances": "A woman was found dead at her home.",
    }


def information_data(w: World) -> dict:
    return {
        "information-agency": w.agency_b.pk,
        "information-requested_on": "2026-01-06",
        "information-received_on": "2026-01-12",
        "information-summary": "Two contacts in 2025.",
    }


def decision_data(w: World) -> dict:
    return {"decision-decision": "proceed", "decision-decided_on": "2026-01-20", "decision-reasons": "Criteria met."}


ROWS: list[Row] = [
    Row("reviews:scoping", "GET", review_args, expect(404, **SCOPERS)),
    Row("reviews:scoping", "POST", review_args, expect(404, **SCOPERS_SAVE), data=notification_data),
    Row(
        "reviews:scoping_information_add",
        "POST",
        review_args,
        expect(404, **SCOPERS_SAVE),
        data=information_data,
    ),
    Row("reviews:scoping_information_edit", "GET", information_args, expect(404, **SCOPERS)),
    Row(
        "reviews:scoping_information_edit",
        "POST",
        information_args,
        expect(404, **SCOPERS_SAVE),
        data=information_data,
    ),
    Row("reviews:scoping_information_delete", "POST", information_args, expect(404, **SCOPERS_SAVE)),
    Row("reviews:scoping_decide", "POST", notified_args, expect(404, **SCOPERS_SAVE), data=decision_data),
    Row("reviews:decisions", "GET", lambda w: [w.review.partnership_id], expect(404, board_admin=200)),
    Row(
        "reviews:decisions",
        "GET",
        lambda w: [w.other_review.partnership_id],
        expect(404, other_board_admin=200),
        label="(other board)",
    ),
]
