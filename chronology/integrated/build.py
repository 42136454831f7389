"""Building one version of the integrated chronology: the work of the build task
(chronology.tasks.integrated_build_task, through casereview.jobs).

The steps integrated_build takes are this module's public functions, in this order:
entries_merge (the agencies' entries read under their IMRs' locks, then ordered, linked and
their gaps found), order_table_fill (each entry's place in the order, in a temporary table) and
entries_copy (the version's entries written by the database from the agencies' own). Each is a
seam: a test stands between two steps (a purge of the review, an agency's edit, a lost
connection) by wrapping one of them."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from django.db import connection, transaction

from casereview import jobs
from chronology.exports.build import TimelineRow
from chronology.integrated.gaps import GapSpan, find_gaps
from chronology.integrated.links import CONFLICT, DUPLICATE, Link, suggest_links
from chronology.integrated.rows import MergeRow, entry_fingerprint, merge_order
from chronology.integrated.search import EntryFields, ShownColumns, people_list, shown_columns, sql_fold
from chronology.integrated.timeline import timeline_drawer, timeline_inputs
from chronology.models import ChronologyEntry, Gap, IntegratedChronology, IntegratedEntry, SuggestedLink
from reviews.audit import audit_record
from reviews.models import Agency, Imr, Review

logger = logging.getLogger(__name__)
T = TypeVar("T")


def integrated_build(chronology: IntegratedChronology, run: jobs.JobRun) -> dict:
    """Build a claimed version. Whatever an earlier, interrupted attempt wrote is cleared first;
    the rows only become visible when the version is marked ready at the end.

    The agencies' entries are read once, for what ordering and linking need, and the version's
    rows are then copied from them inside the database (entries_copy): sending 100,000 rows'
    full text to Python and back would cost more than the rest of the build together.

    Two transactions, each holding the version's row: the entries, then the links, gaps and
    figures. A purge of the review (reviews.retention) takes the same lock before deleting, so
    it never runs beside either; a version it removed in between, or one a retry gave to a newer
    attempt, is not written to again (JobAbandoned). Marked ready by the job mechanism when this returns."""
    review = chronology.review
    for model in (IntegratedEntry, SuggestedLink, Gap):
        model.objects.filter(chronology=chronology).delete()
    run.progress(10)

    with transaction.atomic():
        _lock_building(run)
        merged = entries_merge(review, include_submitted=chronology.include_submitted)
        chronology.agency_names = merged.agency_names
        order_table_fill(merged)
        # While the database copies the entries, this process is idle: a second thread meanwhile
        # draws the timeline and makes the links' rows, from what is already in memory.
        drawn_from = timeline_inputs(review)
        draw = timeline_drawer(chronology, gaps=merged.gaps, rows=lambda: _timeline_rows(review, merged))
        with ThreadPoolExecutor(max_workers=1) as pool:
            alongside = pool.submit(without_database(lambda: (draw(), _link_rows(chronology, merged))))
            entries_copy(chronology, len(merged.rows))
            timeline_svg, link_rows = alongside.result()
    run.progress(70)

    with transaction.atomic():
        _lock_building(run)
        _insert_rows(SuggestedLink._meta.db_table, LinkRow._fields, link_rows)
        Gap.objects.bulk_create(
            Gap(chronology=chronology, start=gap.start, end=gap.end, days=gap.days) for gap in merged.gaps
        )
        if timeline_inputs(review) != drawn_from:  # an episode or the register changed meanwhile
            timeline_svg = timeline_drawer(chronology, gaps=merged.gaps, rows=lambda: _timeline_rows(review, merged))()
        _version_finish(chronology, run, merged, timeline_svg=timeline_svg)
    return {}


BUILT_FIELDS = ["entry_count", "duplicate_count", "conflict_count", "gap_count", "agency_names", "timeline_svg"]


def _version_finish(chronology: IntegratedChronology, run: jobs.JobRun, merged: Merged, *, timeline_svg: str) -> None:
    """The version's figures and picture, its audit entry, and ready: in the same transaction as
    its rows, so it is never shown half-built. Drawn from the episodes and register as they are
    now, so any earlier wish for a drawing is met."""
    chronology.entry_count = len(merged.rows)
    chronology.duplicate_count = sum(link.kind == DUPLICATE for link in merged.links)
    chronology.conflict_count = sum(link.kind == CONFLICT for link in merged.links)
    chronology.gap_count = len(merged.gaps)
    chronology.timeline_svg = timeline_svg
    _refresh_statistics()
    audit_record(
        actor=None,
        action="chronology.built",
        obj=chronology,
        review=chronology.review,
        object_repr=f"Integrated chronology v{chronology.version}",
        detail={
            "entries": chronology.entry_count,
            "duplicates": chronology.duplicate_count,
            "conflicts": chronology.conflict_count,
            "gaps": chronology.gap_count,
        },
    )
    built = {name: getattr(chronology, name) for name in BUILT_FIELDS}
    if not run.finish(**built, timeline_wanted_at=None):
        raise jobs.JobAbandoned(f"Integrated chronology {run.pk} is no longer this attempt's to build.")


def _lock_building(run: jobs.JobRun) -> None:
    """Hold the version's row while it is this attempt's: its review purged, or a retry of a
    stalled build given to a newer attempt, and this one writes nothing more."""
    if not run.mine().select_for_update().exists():
        raise jobs.JobAbandoned(f"Integrated chronology {run.pk} is no longer this attempt's to build.")


class SourceEntry(NamedTuple):
    """An agency's entry as the build reads it: what ordering, linking, the fingerprint and the
    timeline need. The rest of the entry is copied inside the database (entries_copy)."""

    id: int
    agency: str
    position: int
    date_start: datetime.date
    date_end: datetime.date
    time: datetime.time | None
    event: str
    details: str
    agency_id: int
    precision: str
    date_display: str
    significant: bool
    people: list[str] | str  # JSON text from some drivers (rows.people_list)
    outcome: str
    comment: str


# The query's fields, in SourceEntry's order.
SOURCE_FIELDS = (
    "id", "imr__agency__name", "position", "date_start", "date_end", "time", "event", "details",
    "imr__agency_id", "precision", "date_display", "significant", "people", "outcome", "comment",
)  # fmt: skip


@dataclass
class Merged:
    """What the build works out from the agencies' entries, in memory."""

    sources: dict[int, SourceEntry]  # by the agency entry's id
    rows: list[MergeRow]  # in the version's order
    links: list[Link]
    gaps: list[GapSpan]
    # The text shown with designations, folded, where it differs from the text as written
    # (chronology.integrated.search.shown_columns).
    shown: ShownColumns = field(default_factory=lambda: ShownColumns({}, []))

    @property
    def agency_names(self) -> list[str]:
        return sorted({row.agency for row in self.rows}, key=str.casefold)

    @property
    def linked(self) -> set[int]:
        """The seqs of the entries with a suggested link."""
        return {link.a.seq for link in self.links} | {link.b.seq for link in self.links}


def entries_merge(review: Review, *, include_submitted: bool) -> Merged:
    """Lock the IMRs to merge, and their agencies, until the caller's transaction ends; read their
    entries and work out the version's order, suggested links and gaps.

    Entries change, and IMRs change status, only under a lock on their IMR
    (chronology.services.imr_lock_for_change): holding these locks, and the agencies', from the
    read to the copy means the copy has exactly the entries, text and agency names that were
    ordered and linked. Only the IMRs locked are read."""
    statuses = [Imr.Status.ACCEPTED] + ([Imr.Status.SUBMITTED] if include_submitted else [])
    locked = Imr.objects.select_for_update(no_key=True, of=("self", "agency")).select_related("agency")
    imr_ids = [imr.pk for imr in locked.filter(review=review, status__in=statuses).order_by("pk")]
    sources = _source_entries(imr_ids)
    rows = merge_order([_merge_row(source) for source in sources])
    gaps = find_gaps(rows, review.scope_start, review.scope_end, review.gap_threshold_months)
    by_id = {source.id: source for source in sources}
    shown = _shown_texts(review, rows, by_id)
    return Merged(sources=by_id, rows=rows, links=suggest_links(rows), gaps=gaps, shown=shown)


def _shown_texts(review: Review, rows: list[MergeRow], sources: dict[int, SourceEntry]) -> ShownColumns:
    """The text each entry shows with designations, where it differs from its text as written."""
    fields = []
    people: dict[str, list[str]] = {}  # the driver's JSON text of each list: a handful repeat
    for row in rows:
        s = sources[row.source_id]
        key = s.people if isinstance(s.people, str) else None
        listed = people.get(key) if key is not None else None
        if listed is None:
            listed = people_list(s.people)
            if key is not None:
                people[key] = listed
        fields.append(
            EntryFields(row.seq, s.agency_id, s.agency, s.date_start, s.date_end, s.precision, s.date_display,
                        listed, s.event, s.details, s.outcome, s.comment)
        )  # fmt: skip
    return shown_columns(review, fields, parts=connection.vendor == "postgresql")


def _merge_row(source: SourceEntry) -> MergeRow:
    # By position, in MergeRow's field order: keywords cost a tenth of a second over 100,000 entries.
    return MergeRow(
        source.id, source.agency, source.position, source.date_start, source.date_end, source.time, source.event,
        source.details,
    )  # fmt: skip


def _source_entries(imr_ids: list[int]) -> list[SourceEntry]:
    """The agencies' entries to merge: the queryset's own SQL, read with a plain cursor, as
    Django's per-value conversions would cost more than the query itself on 100,000 rows (the
    drivers already give dates, times and booleans)."""
    if not imr_ids:
        return []  # no chronology accepted yet: an empty version, which says so
    query = ChronologyEntry.objects.filter(imr_id__in=imr_ids)
    sql, params = query.values_list(*SOURCE_FIELDS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(map(SourceEntry._make, cursor.fetchall()))


ORDER_TABLE = "integrated_build_order"


# An agency entry's place in the version's order, whether it has a suggested link, and its
# folded text as shown with designations where that differs from its own (whole, or on
# PostgreSQL its people and the rest apart: ShownColumns): all that travels from Python to the copy.
ORDER_COLUMNS = ("source_id", "seq", "linked", "shown", "shown_people", "shown_rest")
# The distinct lists of people as shown, on PostgreSQL: each analysed once.
PEOPLE_TABLE = "integrated_build_people"


def order_table_fill(merged: Merged) -> None:
    """Each agency entry's ORDER_COLUMNS, in a temporary table that entries_copy reads."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {ORDER_TABLE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {ORDER_TABLE} "
            "(source_id bigint PRIMARY KEY, seq integer, linked boolean, shown text, shown_people integer, "
            "shown_rest text)"
        )
        cursor.execute(f"DROP TABLE IF EXISTS {PEOPLE_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {PEOPLE_TABLE} (id integer PRIMARY KEY, people text)")
    linked, shown, same = merged.linked, merged.shown.by_seq, (None, None, None)
    # Plain tuples in ORDER_COLUMNS order, written as they are and never read back in Python.
    _insert_rows(
        ORDER_TABLE,
        ORDER_COLUMNS,
        [(row.source_id, row.seq, row.seq in linked, *shown.get(row.seq, same)) for row in merged.rows],
    )
    _insert_rows(PEOPLE_TABLE, ("id", "people"), merged.shown.people)


def _entries_copy_sql(agency: str) -> tuple[str, str, tuple[tuple[str, ...], tuple[str, ...]], str]:
    """The parts of ``entries_copy``'s statement that differ by database: the agencies it joins,
    the searchable text, the full-text vector columns with their values, and the join of the
    people as shown."""
    if connection.vendor == "postgresql":
        agencies = (
            f"(SELECT id, name, {sql_fold('name')} AS folded, to_tsvector('english'::regconfig, {sql_fold('name')}) "
            f"AS vector FROM {agency})"
        )
        # The agency's name, then the agency entry's own folded text (migration 0016).
        search = "a.folded || ' ' || e.search_folded"
        shown_vector = (
            "CASE WHEN o.shown_people IS NULL AND o.shown_rest IS NULL THEN NULL ELSE a.vector || "
            "COALESCE(sp.vector, e.people_vector) || "
            "COALESCE(to_tsvector('english'::regconfig, o.shown_rest), e.rest_vector) END"
        )
        vector: tuple[tuple[str, ...], tuple[str, ...]] = (
            ("search_vector", "shown_vector"),
            ("a.vector || e.people_vector || e.rest_vector", shown_vector),
        )
        people_shown = (
            f"LEFT JOIN (SELECT id, to_tsvector('english'::regconfig, people) AS vector FROM {PEOPLE_TABLE}) sp "
            "ON sp.id = o.shown_people"
        )
        return agencies, search, vector, people_shown
    people = (
        "COALESCE((SELECT group_concat(p.value, ' ') "
        "FROM (SELECT value FROM json_each(e.people) ORDER BY key) AS p), '')"
    )
    search = sql_fold(" || ' ' || ".join(("a.name", "e.date_display", people, "e.event", "e.details", "e.outcome",
                                          "e.comment")))  # fmt: skip
    return agency, search, ((), ()), ""


def entries_copy(chronology: IntegratedChronology, expected: int) -> None:
    """Write the version's entries with one INSERT ... SELECT: the agency entries beside their
    place in the order table, so their text never leaves the database.

    The searchable text is folded by the database (chronology.integrated.search), as the filters
    fold what they look for. On PostgreSQL the entry's full-text vector is the agency entry's own
    (stored columns of its folded people and other text, migrations 0005, 0015 and 0016) joined to
    its agency's name, so no text is analysed again. Its vector as shown with designations takes
    the same parts, but for the people as shown (each distinct list analysed once) and the rest
    as shown where names were replaced in it (only those entries' text is analysed)."""
    review = chronology.review
    entry, imr, agency = (model._meta.db_table for model in (ChronologyEntry, Imr, Agency))
    agencies, search, vector, people_shown = _entries_copy_sql(agency)
    copied = ("position", "date_start", "date_end", "precision", "date_display", "time", "people", "source",
              "practitioner", "event", "details", "outcome", "comment", "significant")  # fmt: skip
    columns = (
        "chronology_id", "seq", "source_id", "agency_id", "agency_name", *copied, "in_scope", "linked",
        "search_text", "search_shown", *vector[0],
    )  # fmt: skip
    values = (
        "%s", "o.seq", "e.id", "a.id", "a.name", *(f"e.{name}" for name in copied),
        "(e.date_end >= %s AND e.date_start <= %s)", "o.linked", search, "o.shown", *vector[1],
    )  # fmt: skip
    scope = [connection.ops.adapt_datefield_value(day) for day in (review.scope_start, review.scope_end)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {IntegratedEntry._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} "
            f"FROM {ORDER_TABLE} o JOIN {entry} e ON e.id = o.source_id JOIN {imr} i ON i.id = e.imr_id "
            f"JOIN {agencies} a ON a.id = i.agency_id {people_shown}",
            [chronology.pk, *scope],
        )
        copied_count = cursor.rowcount
        cursor.execute(f"DROP TABLE {ORDER_TABLE}")
        cursor.execute(f"DROP TABLE {PEOPLE_TABLE}")
    if copied_count != expected:  # the IMR locks make this impossible; never write half a version
        raise jobs.JobFailed(
            "An agency's chronology changed while this version was being built "
            f"({copied_count} of the {expected} entries read could be copied). Build it again."
        )


def without_database(work: Callable[[], T]) -> Callable[[], T]:
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


class LinkRow(NamedTuple):
    """A suggested link as written, field for column, with each side's fingerprint (made by
    position, in this order: 114,000 links by keyword cost a tenth of a second more)."""

    chronology_id: int
    kind: str
    seq_a: int
    seq_b: int
    source_a: int
    source_b: int
    fingerprint_a: str
    fingerprint_b: str
    reason: str


def _link_rows(chronology: IntegratedChronology, merged: Merged) -> list[LinkRow]:
    fingerprints: dict[int, str] = {}
    for link in merged.links:
        for side in (link.a, link.b):
            if side.source_id not in fingerprints:
                fingerprints[side.source_id] = _fingerprint(merged.sources[side.source_id])
    return [
        LinkRow(
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
        for link in merged.links
    ]


def _fingerprint(source: SourceEntry) -> str:
    return entry_fingerprint(source.agency_id, source.date_start, source.date_end, source.precision, source.details)


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
            "significant, in_scope, linked, search_vector, shown_vector)"
        )
        cursor.execute(f"ANALYZE {SuggestedLink._meta.db_table} (chronology_id, seq_a, seq_b)")


def _timeline_rows(review: Review, merged: Merged) -> list[TimelineRow]:
    """What the timeline needs of the version's entries, in order, from what the build read
    (TimelineRow's fields by position: keywords would cost a tenth of a second here)."""
    timeline = []
    for row in merged.rows:
        source = merged.sources[row.source_id]
        in_scope = source.date_end >= review.scope_start and source.date_start <= review.scope_end
        timeline.append(
            TimelineRow(
                row.seq,
                source.date_start,
                source.date_end,
                source.precision,
                source.date_display,
                source.agency,
                source.event,
                source.details,
                source.significant,
                in_scope,
            )  # fmt: skip
        )
    return timeline


def _insert_rows(table: str, columns: tuple[str, ...], rows: Sequence[tuple]) -> None:
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
