"""A review's action plan as a file: the one path for the page's download and the
export_action_plan command.

The publication version (``names="designations"``, the default everywhere) goes through the
publication pipeline (reviews.publication): every text as the rows are made, so a finding names
the recommendation, action and field, and then every part of the finished file. Anything
identifying that the chair has not acknowledged raises ``PublicationBlocked`` and no file is made.
The panel version (``names="real"``) is the text as typed, marked "Contains personal data"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from actions import exports, selectors
from reviews.models import Review
from reviews.publication import PublicationBlocked, publication_for_review

NAMES = ("designations", "real")


@dataclass(frozen=True)
class PlanFile:
    data: bytes
    content_type: str
    rows: int  # one an action, and one a recommendation without actions yet


def review_plan_file(review: Review, *, fmt: str, names: str, today: datetime.date) -> PlanFile:
    """The file, or ``PublicationBlocked`` naming where each finding is."""
    if names not in NAMES:
        raise ValueError(f'"{names}" is not a names choice (designations or real)')
    run = publication_for_review(review) if names == "designations" else None
    plan = selectors.review_plan_export(review, today=today, run=run)
    if run is not None and run.blocking:
        raise PublicationBlocked(run.blocking)
    data, content_type = exports.plan_render(plan, fmt)
    if run is not None:
        found = run.check_file(fmt, data, f"{fmt.upper()} file")
        if found:
            raise PublicationBlocked(found)
    return PlanFile(data, content_type, len(plan.rows))
