"""A version's timeline picture: drawn by the build, and drawn again when what it shows of the
review changes afterwards (its key episodes, and the names its person register replaces). The
text its search matches with designations shown is written again at the same time."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from casereview.jobs import task_send
from chronology.exports.build import TimelineRow, timeline_chronology_data, timeline_entries, timeline_rows
from chronology.exports.data import ExportGap
from chronology.integrated import timeline_svg
from chronology.integrated.gaps import GapSpan
from chronology.integrated.search import shown_rewrite
from chronology.models import IntegratedChronology
from reviews.models import Review
from reviews.publication import register_for_review

logger = logging.getLogger(__name__)


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
    try:
        found = None if gaps is None else [ExportGap(start=gap.start, end=gap.end, days=gap.days) for gap in gaps]
        frame = timeline_chronology_data(chronology, rows=(), gaps=found)
        # The entries' text is as the agencies wrote it: names are replaced in what the marks show.
        register = register_for_review(chronology.review)
        clean = _replacer(register)
    except Exception:
        logger.exception("Reading for the timeline of %s failed", chronology)
        return lambda: ""

    def draw() -> str:
        try:
            data = replace(frame, entries=timeline_entries(rows()))
            return timeline_svg.timeline_svg(data, clean=clean)
        except Exception:
            logger.exception("Drawing the timeline of %s failed", chronology)
            return ""

    return draw


# Versions whose picture may need drawing again: built ones, and one being built right now.
REDRAWN = (IntegratedChronology.Status.READY, IntegratedChronology.Status.RUNNING)


def timeline_inputs(review: Review) -> tuple:
    """What a picture shows of the review besides its version's entries and gaps: the key
    episodes and the names the register replaces. A build compares them before it finishes."""
    episodes = tuple(review.episodes.order_by("pk").values_list("title", "start", "end"))
    people = tuple(review.people.order_by("pk").values_list("real_name", "aliases", "designation", "confirmed_names"))
    return episodes, people


def timelines_redraw_later(review: Review) -> None:
    """Mark the review's timelines as wanting a new drawing, in this transaction, and ask for it
    once it commits: they band its key episodes and replace its registered names, and either may
    change after a build. The mark is the outbox: a broker that cannot take the task now, or a
    worker that dies drawing, leaves it for the sweeper (timelines_sweep). A version still
    building checks for such a change itself before it is marked ready."""
    if IntegratedChronology.objects.filter(review=review, status__in=REDRAWN).update(timeline_wanted_at=timezone.now()):
        transaction.on_commit(partial(_redraw_dispatch, review.pk), robust=True)


def _redraw_dispatch(review_id: int) -> bool:
    """Hand the redraw to the broker; one that is down leaves the mark for the sweeper."""
    return task_send("chronology.tasks.timelines_redraw_task", review_id)


# A drawing wanted this long ago and still not done was lost (broker or worker): asked for again.
REDRAW_AFTER = timedelta(minutes=2)


def timelines_sweep(*, now=None) -> int:
    """Ask again for every drawing wanted more than REDRAW_AFTER ago; returns how many reviews."""
    cutoff = (now or timezone.now()) - REDRAW_AFTER
    # A version whose build failed is never drawn again: its mark is left, and ignored.
    reviews = (
        IntegratedChronology.objects.filter(status__in=REDRAWN, timeline_wanted_at__lt=cutoff)
        .values_list("review_id", flat=True)
        .distinct()
    )
    return sum(_redraw_dispatch(review_id) for review_id in list(reviews)[:100])


def timelines_redraw(review_id: int) -> int:
    """Draw every built version's picture again from its stored entries; returns how many were
    drawn. Each is read, drawn and written holding its row, so of two redraws the later one's
    picture is the one kept. A picture that fails to draw keeps the one it had."""
    drawn = 0
    # A version finishing its build now is waited for (its row is held until it is ready).
    candidates = IntegratedChronology.objects.filter(
        review_id=review_id, status__in=REDRAWN, timeline_wanted_at__isnull=False
    )
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            chronology = (
                IntegratedChronology.objects.select_for_update(of=("self",))
                .select_related("review__partnership")
                .defer("timeline_svg")
                .filter(pk=pk)
                .first()
            )
            if chronology is None or chronology.status != IntegratedChronology.Status.READY:
                continue  # gone, or still building: the build itself looks for changes before it ends
            svg = timeline_drawer(chronology, rows=partial(timeline_rows, chronology))()
            # What the search matches with designations shown follows the same register.
            shown_rewrite(chronology)
            # A picture that failed to draw keeps the one it had, and the mark, for another try.
            done = {"timeline_svg": svg, "timeline_wanted_at": None} if svg else {}
            if done:
                drawn += IntegratedChronology.objects.filter(pk=pk).update(**done)
    return drawn


def _replacer(register):
    return lambda text: register.replace(text).text
