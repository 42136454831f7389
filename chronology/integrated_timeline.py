"""A version's timeline picture: drawn by the build, and drawn again when what it shows of the
review changes afterwards (its key episodes, and the names its person register replaces)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial

from django.db import transaction

from chronology.export_build import (
    EXPORT_BATCH,
    TIMELINE_FIELDS,
    TimelineRow,
    timeline_chronology_data,
    timeline_entries,
)
from chronology.export_data import ExportGap
from chronology.merge import GapSpan
from chronology.models import IntegratedChronology
from reviews.models import Review

logger = logging.getLogger(__name__)


def _entry_href(seq: int) -> str:
    return f"?seq={seq}#entry-{seq}"


def timeline_drawer(
    chronology: IntegratedChronology,
    *,
    gaps: list[GapSpan] | None = None,
    rows: Callable[[], Iterable[TimelineRow]],
) -> Callable[[], str]:
    """The picture for the page, with designations. What it needs from the database besides
    `rows` (episodes, the case name, the person register, and the version's gaps unless given)
    is read now, so the returned function reads nothing more than `rows` does: the build runs it
    in a second thread. A version never fails for want of its picture: on an error the function
    returns "" and the failure is logged."""
    from chronology.timeline import timeline_svg
    from reviews.anonymise import anonymiser_for_review

    try:
        found = None if gaps is None else [ExportGap(start=gap.start, end=gap.end, days=gap.days) for gap in gaps]
        frame = timeline_chronology_data(chronology, rows=(), gaps=found)
        # The entries' text is as the agencies wrote it: names are replaced in what the marks show.
        clean = anonymiser_for_review(chronology.review).apply
    except Exception:
        logger.exception("Reading for the timeline of %s failed", chronology)
        return lambda: ""

    def draw() -> str:
        try:
            data = replace(frame, entries=timeline_entries(rows()))
            return timeline_svg(data, entry_href=_entry_href, clean=clean)
        except Exception:
            logger.exception("Drawing the timeline of %s failed", chronology)
            return ""

    return draw


def timelines_redraw_later(review: Review) -> None:
    """Once this transaction commits, draw the review's built timelines again: they band its
    key episodes and replace its registered names, and either may change after a build."""
    from chronology.tasks import timelines_redraw_task

    if IntegratedChronology.objects.filter(review=review, status=IntegratedChronology.Status.READY).exists():
        transaction.on_commit(partial(timelines_redraw_task.delay, review.pk))


def timelines_redraw(review_id: int) -> int:
    """Draw every built version's picture again from its stored entries; returns how many were
    drawn. A picture that fails to draw keeps the one it had."""
    drawn = 0
    ready = IntegratedChronology.objects.filter(review_id=review_id, status=IntegratedChronology.Status.READY)
    for chronology in ready.select_related("review__partnership").defer("timeline_svg"):
        entries = chronology.entries.order_by("seq").values_list(*TIMELINE_FIELDS)
        svg = timeline_drawer(chronology, rows=lambda entries=entries: entries.iterator(chunk_size=EXPORT_BATCH))()
        if svg:
            drawn += IntegratedChronology.objects.filter(pk=chronology.pk).update(timeline_svg=svg)
    return drawn
