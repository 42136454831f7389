"""Building and curating the integrated chronology: versions, the build task's work, the
chair's decisions on suggested links, and key practice episodes."""

from __future__ import annotations

import datetime
import json
import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import User
from chronology.export_build import TimelineRow, timeline_chronology_data
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
from reviews.models import Imr, Review

logger = logging.getLogger(__name__)

# A build that has shown no sign of life for this long died with its worker: it may be retried.
STALE_BUILD = datetime.timedelta(minutes=15)
INSERT_BATCH = 5000
ENTRY_COLUMNS = (
    "chronology_id",
    "seq",
    "source_id",
    "agency_id",
    "agency_name",
    "position",
    "date_start",
    "date_end",
    "precision",
    "date_display",
    "time",
    "people",
    "source",
    "practitioner",
    "event",
    "details",
    "outcome",
    "comment",
    "significant",
    "in_scope",
    "linked",
    "search_text",
)


@transaction.atomic
def integrated_request(*, actor: User | None, review: Review, include_submitted: bool = False) -> IntegratedChronology:
    """Queue a new version; the build task runs once this transaction commits."""
    from chronology.tasks import integrated_build_task

    Review.objects.select_for_update().filter(pk=review.pk).first()  # one version number at a time
    last = review.integrated_chronologies.aggregate(last=Max("version"))["last"] or 0
    chronology = IntegratedChronology.objects.create(
        review=review, version=last + 1, include_submitted=include_submitted, requested_by=actor
    )
    audit_record(
        actor=actor,
        action="chronology.build_requested",
        obj=chronology,
        review=review,
        object_repr=f"Integrated chronology v{chronology.version}",
        detail={"include_submitted": include_submitted},
    )
    transaction.on_commit(partial(integrated_build_task.delay, chronology.pk))
    return chronology


def integrated_retry(*, actor: User, chronology: IntegratedChronology) -> bool:
    """Queue a failed (or dead) build again. Returns False if it is not one."""
    stale = Q(status=IntegratedChronology.Status.BUILDING, started_at__lt=timezone.now() - STALE_BUILD)
    with transaction.atomic():
        queued = (
            IntegratedChronology.objects.filter(pk=chronology.pk)
            .filter(Q(status=IntegratedChronology.Status.FAILED) | stale)
            .update(status=IntegratedChronology.Status.QUEUED, error="", progress=0)
        )
        if queued:
            from chronology.tasks import integrated_build_task

            audit_record(
                actor=actor,
                action="chronology.build_retried",
                obj=chronology,
                review=chronology.review,
                object_repr=f"Integrated chronology v{chronology.version}",
            )
            transaction.on_commit(partial(integrated_build_task.delay, chronology.pk))
    return bool(queued)


def integrated_claim(chronology_id: int) -> bool:
    """Claim a queued build for this worker (one conditional UPDATE: a second delivery of the
    same task finds nothing to claim)."""
    return bool(
        IntegratedChronology.objects.filter(pk=chronology_id, status=IntegratedChronology.Status.QUEUED).update(
            status=IntegratedChronology.Status.BUILDING, started_at=timezone.now(), progress=0, error=""
        )
    )


def _progress(chronology_id: int, percent: int) -> None:
    IntegratedChronology.objects.filter(pk=chronology_id).update(progress=percent)


def integrated_build(chronology_id: int) -> IntegratedChronology:
    """Build a claimed version. Rows are written in batches (so the page can show progress)
    and only become visible when the version is marked ready at the end; whatever an earlier,
    interrupted attempt wrote is cleared first."""
    chronology = IntegratedChronology.objects.select_related("review").get(pk=chronology_id)
    review = chronology.review
    for model in (IntegratedEntry, SuggestedLink, Gap):
        model.objects.filter(chronology=chronology).delete()

    statuses = [Imr.Status.ACCEPTED] + ([Imr.Status.SUBMITTED] if chronology.include_submitted else [])
    source = _source_entries(review, statuses)
    _progress(chronology_id, 10)
    by_id = {values[0]: values for values in source}
    rows = merge_order(
        [
            MergeRow(
                source_id=values[0],
                agency=values[2],
                position=values[3],
                date_start=values[4],
                date_end=values[5],
                time=values[8],
                event=values[12],
                details=values[13],
            )  # fmt: skip
            for values in source
        ]
    )
    _progress(chronology_id, 20)
    links = suggest_links(rows)
    _progress(chronology_id, 40)
    linked = {link.a.seq for link in links} | {link.b.seq for link in links}
    timeline_rows = _insert_entries(chronology, rows, by_id, linked)
    _progress(chronology_id, 80)
    fingerprints = {row.source_id: _fingerprint(by_id[row.source_id]) for row in rows if row.seq in linked}
    _insert_rows(
        SuggestedLink,
        ("chronology_id", "kind", "seq_a", "seq_b", "source_a", "source_b", "fingerprint_a", "fingerprint_b", "reason"),
        (
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
            )
            for link in links
        ),  # fmt: skip
    )
    _progress(chronology_id, 85)
    gaps = find_gaps(rows, review.scope_start, review.scope_end, review.gap_threshold_months)
    Gap.objects.bulk_create(Gap(chronology=chronology, start=gap.start, end=gap.end, days=gap.days) for gap in gaps)

    chronology.entry_count = len(rows)
    chronology.duplicate_count = sum(link.kind == DUPLICATE for link in links)
    chronology.conflict_count = sum(link.kind == CONFLICT for link in links)
    chronology.gap_count = len(gaps)
    chronology.agency_names = sorted({row.agency for row in rows}, key=str.casefold)
    chronology.timeline_svg = _timeline(chronology, timeline_rows)
    chronology.status = IntegratedChronology.Status.READY
    chronology.progress = 100
    chronology.finished_at = timezone.now()
    chronology.save()
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
    return chronology


SOURCE_FIELDS = (
    "id", "imr__agency_id", "imr__agency__name", "position", "date_start", "date_end", "precision",
    "date_display", "time", "people", "source", "practitioner", "event", "details", "outcome", "comment",
    "significant",
)  # fmt: skip
PEOPLE = SOURCE_FIELDS.index("people")


def _source_entries(review: Review, statuses: list[str]) -> list[tuple]:
    """The agencies' entries to merge, as tuples in SOURCE_FIELDS order. The queryset's own SQL,
    read with a plain cursor: Django's per-value conversions cost more than the query itself on
    100,000 rows. The drivers already give dates, times and booleans (Django registers SQLite's
    converters); only people arrive as JSON text, and each distinct list is parsed once."""
    query = ChronologyEntry.objects.filter(imr__review=review, imr__status__in=statuses)
    fields = SOURCE_FIELDS
    if connection.vendor == "postgresql":
        # The entry's own full-text vector (migration 0005), copied into the version as it is.
        query = query.extra(select={"text_vector": f"{ChronologyEntry._meta.db_table}.text_vector::text"})
        fields += ("text_vector",)
    sql, params = query.values_list(*fields).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    people_lists: dict[str, list[str]] = {}
    entries = []
    for row in rows:
        people = row[PEOPLE]
        if isinstance(people, str):
            parsed = people_lists.get(people)
            if parsed is None:
                parsed = people_lists[people] = json.loads(people)
            row = (*row[:PEOPLE], parsed, *row[PEOPLE + 1 :])
        entries.append(row)
    return entries


def integrated_fail(chronology_id: int, error: str) -> None:
    IntegratedChronology.objects.filter(pk=chronology_id).exclude(status=IntegratedChronology.Status.READY).update(
        status=IntegratedChronology.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def _insert_entries(
    chronology: IntegratedChronology, rows: list[MergeRow], by_id: dict, linked: set[int]
) -> list[TimelineRow]:
    """Write the version's entries; returns what the timeline needs of them, so that it is
    drawn from memory rather than read back."""
    scope_start, scope_end = chronology.review.scope_start, chronology.review.scope_end
    # Values as Django would send them (SQLite has no date or time types); people as JSON text,
    # which is what the JSON field would send SQLite and what COPY parses into jsonb.
    ops = connection.ops
    date_value, time_value = ops.adapt_datefield_value, ops.adapt_timefield_value
    # Most entries name the same few people: each distinct list is turned into JSON once.
    people_json: dict[tuple[str, ...], str] = {}
    timeline_rows: list[TimelineRow] = []
    add_timeline_row = timeline_rows.append

    def values():
        for row in rows:
            (_id, agency_id, agency_name, position, start, end, precision, display, time, people, src, practitioner,
             event, details, outcome, comment, significant, *vector) = by_id[row.source_id]  # fmt: skip
            key = tuple(people)
            people_text = people_json.get(key)
            if people_text is None:
                people_text = people_json[key] = json.dumps(people)
            search = " ".join((display, agency_name, " ".join(people), event, details, outcome, comment)).lower()
            in_scope = end >= scope_start and start <= scope_end
            add_timeline_row((row.seq, start, end, precision, display, agency_name, event, details, significant,
                              in_scope))  # fmt: skip
            yield (
                chronology.pk, row.seq, row.source_id, agency_id, agency_name, position, date_value(start),
                date_value(end), precision, display, time_value(time), people_text, src,
                practitioner, event, details, outcome, comment, significant,
                in_scope, row.seq in linked, search, *vector,
            )  # fmt: skip

    columns = ENTRY_COLUMNS
    if connection.vendor == "postgresql":
        # The agency entries' full-text vectors (migration 0005): PostgreSQL only adds the
        # agency's name rather than analysing every entry's text again for each version.
        columns += ("entry_vector",)
    _insert_rows(IntegratedEntry, columns, values())
    return timeline_rows


def _fingerprint(values: tuple) -> str:
    """entry_fingerprint of a source entry as read by integrated_build."""
    _id, agency_id, _name, _position, start, end, precision, *_rest = values
    return entry_fingerprint(agency_id, start, end, precision, values[13])


def _insert_rows(model, columns: tuple[str, ...], rows) -> None:
    """Plain INSERTs (COPY on PostgreSQL) in large batches: building model instances for
    100,000 rows would cost more than the rest of the build together."""
    table = model._meta.db_table
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == INSERT_BATCH:
            _insert_batch(table, columns, batch)
            batch = []
    if batch:
        _insert_batch(table, columns, batch)


def _insert_batch(table: str, columns: tuple[str, ...], batch: list[tuple]) -> None:
    # One transaction a batch: outside one, each row would be committed (and synced) alone.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # No waiting for this batch to reach the disk: the rows stay invisible until the version
            # is marked ready, and that later commit is flushed with everything written before it.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", batch)


def _timeline(chronology: IntegratedChronology, rows: list[TimelineRow]) -> str:
    """The picture for the page and the PDF, drawn once per version, with designations."""
    from chronology.timeline import timeline_svg
    from reviews.anonymise import anonymiser_for_review

    try:
        data = timeline_chronology_data(chronology, rows=rows)
        # The entries' text is as the agencies wrote it: names are replaced in what the marks show.
        clean = anonymiser_for_review(chronology.review).apply
        return timeline_svg(data, entry_href=lambda seq: f"?seq={seq}#entry-{seq}", clean=clean)
    except Exception:  # the picture is an extra: a build never fails for want of it
        logger.exception("Drawing the timeline of %s failed", chronology)
        return ""


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
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Name the episode, for example \u201cThe first key episode\u201d."})
    if end < start:
        raise ValidationError({"end": "The episode ends before it starts."})
    episode = KeyEpisode.objects.create(review=review, title=title, start=start, end=end)
    audit_record(actor=actor, action="chronology.episode_added", obj=episode, review=review)
    return episode


@transaction.atomic
def episode_remove(*, actor: User, episode: KeyEpisode) -> None:
    audit_record(actor=actor, action="chronology.episode_removed", obj=episode, review=episode.review)
    episode.delete()
