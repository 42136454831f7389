"""Building and curating the integrated chronology: versions, the build task's work, the
chair's decisions on suggested links, and key practice episodes."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max

from accounts.models import User
from casereview import jobs
from chronology.export_build import TimelineRow
from chronology.integrated_timeline import timeline_drawer, timeline_inputs, timelines_redraw_later
from chronology.merge import (
    CONFLICT,
    DUPLICATE,
    MergeRow,
    entry_fingerprint,
    find_gaps,
    merge_order,
    suggest_links,
)
from chronology.models import (
    ChronologyEntry,
    Gap,
    IntegratedChronology,
    IntegratedEntry,
    KeyEpisode,
    LinkDecision,
    SuggestedLink,
)
from reviews.audit import audit_record
from reviews.models import Agency, Imr, Review
from reviews.publication import normalise

logger = logging.getLogger(__name__)
T = TypeVar("T")


@transaction.atomic
def integrated_request(*, actor: User | None, review: Review, include_submitted: bool = False) -> IntegratedChronology:
    """Queue a new version; the build task runs once this transaction commits. While a version
    is waiting or building, asking again gives that one (casereview.jobs.job_request)."""
    Review.objects.select_for_update().filter(pk=review.pk).first()  # one version number at a time
    waiting = review.integrated_chronologies.filter(status__in=IntegratedChronology.ACTIVE).order_by("-version")
    if (existing := waiting.first()) is not None:
        return existing
    last = review.integrated_chronologies.aggregate(last=Max("version"))["last"] or 0
    chronology, _ = jobs.job_request(
        IntegratedChronology, actor=actor, review=review, version=last + 1, include_submitted=include_submitted
    )
    audit_record(
        actor=actor,
        action="chronology.build_requested",
        obj=chronology,
        review=review,
        object_repr=f"Integrated chronology v{chronology.version}",
        detail={"include_submitted": include_submitted},
    )
    return chronology


def integrated_retry(*, actor: User, chronology: IntegratedChronology) -> bool:
    """Queue the review's latest version again if it failed or its worker stopped, as if asked for
    now. Returns False otherwise: an older version is not rebuilt from today's chronologies under
    its old number, and a build with a heartbeat is alive, so left alone."""
    with transaction.atomic():
        if chronology.review.integrated_chronologies.filter(version__gt=chronology.version).exists():
            return False
        queued = jobs.job_retry(chronology, actor=actor)
        if queued:
            audit_record(
                actor=actor,
                action="chronology.build_retried",
                obj=chronology,
                review=chronology.review,
                object_repr=f"Integrated chronology v{chronology.version}",
            )
    return queued


def integrated_build(chronology: IntegratedChronology, run: jobs.JobRun) -> dict:
    """Build a claimed version. Whatever an earlier, interrupted attempt wrote is cleared first;
    the rows only become visible when the version is marked ready at the end.

    The agencies' entries are read once, for what ordering and linking need, and the version's
    rows are then copied from them inside the database (`_copy_entries`): sending 100,000 rows'
    full text to Python and back would cost more than the rest of the build together.

    Two transactions, each holding the version's row: the entries, then the links, gaps and
    figures. A purge of the review (reviews.retention) takes the same lock before deleting, so
    it never runs beside either; a version it removed in between, or one a retry gave to a newer
    attempt, is not written to again (JobAbandoned). Marked ready by the job mechanism when this returns."""
    review = chronology.review
    for model in (IntegratedEntry, SuggestedLink, Gap):
        model.objects.filter(chronology=chronology).delete()
    run.progress(10)

    statuses = [Imr.Status.ACCEPTED] + ([Imr.Status.SUBMITTED] if chronology.include_submitted else [])
    with transaction.atomic():
        _lock_building(run)
        # Entries change, and IMRs change status, only under a lock on their IMR
        # (chronology.services.imr_lock_for_change): holding these locks, and the agencies', from
        # the read to the copy means the copy has exactly the entries, text and agency names that
        # were ordered and linked. Only the IMRs locked are read.
        locked = Imr.objects.select_for_update(no_key=True, of=("self", "agency")).select_related("agency")
        imr_ids = [imr.pk for imr in locked.filter(review=review, status__in=statuses).order_by("pk")]
        source = _source_entries(imr_ids)
        rows = merge_order([MergeRow(*values[:_MERGE_FIELDS]) for values in source])
        links = suggest_links(rows)
        linked = {link.a.seq for link in links} | {link.b.seq for link in links}
        gaps = find_gaps(rows, review.scope_start, review.scope_end, review.gap_threshold_months)
        chronology.agency_names = sorted({row.agency for row in rows}, key=str.casefold)
        _fill_order_table(rows, linked)
        # While the database copies the entries, this process is idle: a second thread meanwhile
        # draws the timeline and makes the links' rows, from what is already in memory.
        by_id = {values[0]: values for values in source}
        drawn_from = timeline_inputs(review)
        draw = timeline_drawer(chronology, gaps=gaps, rows=lambda: _timeline_rows(review, rows, by_id))
        with ThreadPoolExecutor(max_workers=1) as pool:
            alongside = pool.submit(_without_database(lambda: (draw(), _link_rows(chronology, links, by_id))))
            _copy_entries(chronology, len(rows))
            timeline_svg, link_rows = alongside.result()
    run.progress(70)

    with transaction.atomic():
        _lock_building(run)
        _insert_rows(SuggestedLink._meta.db_table, LINK_COLUMNS, link_rows)
        Gap.objects.bulk_create(Gap(chronology=chronology, start=gap.start, end=gap.end, days=gap.days) for gap in gaps)
        chronology.entry_count = len(rows)
        chronology.duplicate_count = sum(link.kind == DUPLICATE for link in links)
        chronology.conflict_count = sum(link.kind == CONFLICT for link in links)
        chronology.gap_count = len(gaps)
        if timeline_inputs(review) != drawn_from:  # an episode or the register changed meanwhile
            timeline_svg = timeline_drawer(chronology, gaps=gaps, rows=lambda: _timeline_rows(review, rows, by_id))()
        chronology.timeline_svg = timeline_svg
        _refresh_statistics()
        audit_record(
            actor=None,
            action="chronology.built",
            obj=chronology,
            review=review,
            object_repr=f"Integrated chronology v{chronology.version}",
            detail={
                "entries": chronology.entry_count,
                "duplicates": chronology.duplicate_count,
                "conflicts": chronology.conflict_count,
                "gaps": chronology.gap_count,
            },
        )
        # Ready in the same transaction as its rows and its audit entry: never shown half-built.
        # Drawn now from the episodes and register as they are: any earlier wish for a drawing is met.
        built = {name: getattr(chronology, name) for name in BUILT_FIELDS}
        if not run.finish(**built, timeline_wanted_at=None):
            raise jobs.JobAbandoned(f"Integrated chronology {run.pk} is no longer this attempt's to build.")
    return {}


BUILT_FIELDS = ["entry_count", "duplicate_count", "conflict_count", "gap_count", "agency_names", "timeline_svg"]


def _lock_building(run: jobs.JobRun) -> None:
    """Hold the version's row while it is this attempt's: its review purged, or a retry of a
    stalled build given to a newer attempt, and this one writes nothing more."""
    if not run.mine().select_for_update().exists():
        raise jobs.JobAbandoned(f"Integrated chronology {run.pk} is no longer this attempt's to build.")


# What the build reads of each agency entry: MergeRow's fields first, in its order, then what the
# fingerprint and the timeline also need. The rest of the entry is copied inside the database.
SOURCE_FIELDS = (
    "id", "imr__agency__name", "position", "date_start", "date_end", "time", "event", "details",
    "imr__agency_id", "precision", "date_display", "significant",
)  # fmt: skip
_MERGE_FIELDS = SOURCE_FIELDS.index("imr__agency_id")


def _source_entries(imr_ids: list[int]) -> list[tuple]:
    """The agencies' entries to merge, as tuples in SOURCE_FIELDS order: the queryset's own SQL,
    read with a plain cursor, as Django's per-value conversions would cost more than the query
    itself on 100,000 rows (the drivers already give dates, times and booleans)."""
    if not imr_ids:
        return []  # no chronology accepted yet: an empty version, which says so
    query = ChronologyEntry.objects.filter(imr_id__in=imr_ids)
    sql, params = query.values_list(*SOURCE_FIELDS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


ORDER_TABLE = "integrated_build_order"


def _fill_order_table(rows: list[MergeRow], linked: set[int]) -> None:
    """Each agency entry's place in the version's order, and whether it has a suggested link, in
    a temporary table for _copy_entries: three numbers an entry are all that travel from Python."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ORDER_TABLE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {ORDER_TABLE} (source_id bigint PRIMARY KEY, seq integer, linked boolean)"
        )
    _insert_rows(
        ORDER_TABLE, ("source_id", "seq", "linked"), [(row.source_id, row.seq, row.seq in linked) for row in rows]
    )


def _copy_entries(chronology: IntegratedChronology, expected: int) -> None:
    """Write the version's entries with one INSERT ... SELECT: the agency entries beside their
    place in the order table, so their text never leaves the database.

    The searchable text is lowered by the database, as the filters lower what they look for
    (integrated_selectors). On PostgreSQL the entry's full-text vector is the agency entry's own
    (a stored column, migration 0005) joined to its agency's name, so no text is analysed again."""
    review = chronology.review
    entry, imr, agency = (model._meta.db_table for model in (ChronologyEntry, Imr, Agency))
    if connection.vendor == "postgresql":
        people = (
            "COALESCE((SELECT string_agg(p.value, ' ' ORDER BY p.n) "
            "FROM jsonb_array_elements_text(e.people) WITH ORDINALITY AS p(value, n)), '')"
        )
        agencies = f"(SELECT id, name, to_tsvector('english'::regconfig, name) AS vector FROM {agency})"
        vector = ("search_vector",), ("a.vector || e.text_vector",)
    else:
        people = (
            "COALESCE((SELECT group_concat(p.value, ' ') "
            "FROM (SELECT value FROM json_each(e.people) ORDER BY key) AS p), '')"
        )
        agencies, vector = agency, ((), ())
    copied = ("position", "date_start", "date_end", "precision", "date_display", "time", "people", "source",
              "practitioner", "event", "details", "outcome", "comment", "significant")  # fmt: skip
    columns = (
        "chronology_id", "seq", "source_id", "agency_id", "agency_name", *copied, "in_scope", "linked",
        "search_text", *vector[0],
    )  # fmt: skip
    search = " || ' ' || ".join(("e.date_display", "a.name", people, "e.event", "e.details", "e.outcome", "e.comment"))
    values = (
        "%s", "o.seq", "e.id", "a.id", "a.name", *(f"e.{name}" for name in copied),
        "(e.date_end >= %s AND e.date_start <= %s)", "o.linked", f"lower({search})", *vector[1],
    )  # fmt: skip
    scope = [connection.ops.adapt_datefield_value(day) for day in (review.scope_start, review.scope_end)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {IntegratedEntry._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} "
            f"FROM {ORDER_TABLE} o JOIN {entry} e ON e.id = o.source_id JOIN {imr} i ON i.id = e.imr_id "
            f"JOIN {agencies} a ON a.id = i.agency_id",
            [chronology.pk, *scope],
        )
        copied_count = cursor.rowcount
        cursor.execute(f"DROP TABLE {ORDER_TABLE}")
    if copied_count != expected:  # the IMR locks make this impossible; never write half a version
        raise jobs.JobFailed(
            "An agency's chronology changed while this version was being built "
            f"({copied_count} of the {expected} entries read could be copied). Build it again."
        )


def _without_database(work: Callable[[], T]) -> Callable[[], T]:
    """`work`, for a second thread, refusing any query: the database connection it would open
    there is not the build's, so could not see the version's rows or write inside its transaction."""

    def refuse(*args, **kwargs):
        raise RuntimeError("The build's second thread may not use the database.")

    def run() -> T:
        try:
            with connection.execute_wrapper(refuse):
                return work()
        finally:
            connection.close()  # this thread's own connection, if anything opened one

    return run


LINK_COLUMNS = (
    "chronology_id", "kind", "seq_a", "seq_b", "source_a", "source_b", "fingerprint_a", "fingerprint_b", "reason",
)  # fmt: skip


def _link_rows(chronology: IntegratedChronology, links: list, by_id: dict) -> list[tuple]:
    """The suggested links as rows of LINK_COLUMNS, with each side's fingerprint."""
    fingerprints = {}
    for link in links:
        for side in (link.a, link.b):
            if side.source_id not in fingerprints:
                fingerprints[side.source_id] = _fingerprint(by_id[side.source_id])
    return [
        (
            chronology.pk,
            link.kind,
            link.a.seq,
            link.b.seq,
            link.a.source_id,
            link.b.source_id,
            fingerprints[link.a.source_id],
            fingerprints[link.b.source_id],
            link.reason[:200],
        )  # fmt: skip
        for link in links
    ]


def _refresh_statistics() -> None:
    """Tell PostgreSQL's planner about the rows just written, before the chair opens the page.
    Until autovacuum samples the tables (a minute later at best, and never for one version among
    many), the planner has no idea how many rows the new version has and, for a large one, sorts
    every row to show the first page. Only the columns the page filters and sorts by: about 0.2 s."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"ANALYZE {IntegratedEntry._meta.db_table} (chronology_id, seq, agency_id, date_start, date_end, "
            "significant, in_scope, linked, search_vector)"
        )
        cursor.execute(f"ANALYZE {SuggestedLink._meta.db_table} (chronology_id, seq_a, seq_b)")


def _timeline_rows(review: Review, rows: list[MergeRow], by_id: dict) -> list[TimelineRow]:
    """What the timeline needs of the version's entries, in order, from what the build read."""
    timeline = []
    for row in rows:
        _id, agency, _position, start, end, _time, event, details, _agency_id, precision, display, significant = by_id[
            row.source_id
        ]
        in_scope = end >= review.scope_start and start <= review.scope_end
        timeline.append((row.seq, start, end, precision, display, agency, event, details, significant, in_scope))
    return timeline


def _fingerprint(values: tuple) -> str:
    """entry_fingerprint of a source entry as read by integrated_build."""
    _id, _agency, _position, start, end, _time, _event, details, agency_id, precision, *_rest = values
    return entry_fingerprint(agency_id, start, end, precision, details)


def _insert_rows(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """One COPY on PostgreSQL, plain INSERTs elsewhere, inside the caller's transaction:
    building model instances for 100,000 rows would cost more than the rest of the build."""
    names = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows)


@transaction.atomic
def link_decide(*, actor: User, review: Review, link: SuggestedLink, status: str) -> LinkDecision:
    if status not in LinkDecision.Status.values:
        raise ValidationError(f'"{status}" is not a decision: confirm or dismiss.')
    fingerprint_a, fingerprint_b = _link_fingerprints(link)
    (source_a, fingerprint_a), (source_b, fingerprint_b) = sorted(
        ((link.source_a, fingerprint_a), (link.source_b, fingerprint_b))
    )
    decision, _created = LinkDecision.objects.update_or_create(
        review=review,
        kind=link.kind,
        source_a=source_a,
        source_b=source_b,
        defaults={
            "status": status,
            "decided_by": actor,
            "fingerprint_a": fingerprint_a,
            "fingerprint_b": fingerprint_b,
        },
    )
    audit_record(
        actor=actor,
        action=f"chronology.link_{status}",
        obj=decision,
        review=review,
        object_repr=f"{link.get_kind_display()}: entries {link.seq_a} and {link.seq_b}",
    )
    return decision


def _link_fingerprints(link: SuggestedLink) -> tuple[str, str]:
    """The link's fingerprints; a version built before they were kept has its entries' copies."""
    if link.fingerprint_a and link.fingerprint_b:
        return link.fingerprint_a, link.fingerprint_b
    fields = ("seq", "agency_id", "date_start", "date_end", "precision", "details")
    entries = {
        seq: entry_fingerprint(agency_id, start, end, precision, details)
        for seq, agency_id, start, end, precision, details in IntegratedEntry.objects.filter(
            chronology_id=link.chronology_id, seq__in=(link.seq_a, link.seq_b)
        ).values_list(*fields)
    }
    return entries.get(link.seq_a, ""), entries.get(link.seq_b, "")


@transaction.atomic
def episode_add(*, actor: User, review: Review, title: str, start: datetime.date, end: datetime.date) -> KeyEpisode:
    title = " ".join(normalise(title).split())
    if not title:
        raise ValidationError({"title": "Name the episode, for example \u201cThe first key episode\u201d."})
    if end < start:
        raise ValidationError({"end": "The episode ends before it starts."})
    episode = KeyEpisode.objects.create(review=review, title=title, start=start, end=end)
    audit_record(actor=actor, action="chronology.episode_added", obj=episode, review=review)
    timelines_redraw_later(review)
    return episode


@transaction.atomic
def episode_remove(*, actor: User, episode: KeyEpisode) -> None:
    audit_record(actor=actor, action="chronology.episode_removed", obj=episode, review=episode.review)
    episode.delete()
    timelines_redraw_later(episode.review)
