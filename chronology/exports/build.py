"""The integrated chronology of one version as export data (chronology/exports/data.py), with
the chair's link decisions and the key episodes. A designations export sends every text through
one publication run (chronology/exports/published.py); a panel export with real names leaves
the text as the agencies wrote it. The timeline picture's data is read here too: a fraction of
a full export's, made of the same parts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import NamedTuple

from django.db import connection
from django.db.models import QuerySet

from chronology.exports.data import ExportChronology, ExportEntry, ExportEpisode, ExportGap, ExportLink
from chronology.exports.kept import keep_entries, kept_entries, kept_key
from chronology.exports.published import PublishedEntries, PublishedEntry
from chronology.integrated.links import link_decisions
from chronology.integrated.rows import people_list
from chronology.models import IntegratedChronology, KeyEpisode
from reviews.labels import protective_marking
from reviews.models import Review
from reviews.publication import Publication, publication_for_review, register_for_review

EXPORT_BATCH = 5000
LINK_BATCH = 20000


class EntryRow(NamedTuple):
    """One integrated entry as an export reads it."""

    seq: int
    date_start: datetime.date
    date_end: datetime.date
    precision: str
    date_display: str
    time: datetime.time | None
    agency_id: int
    agency_name: str
    source: str
    practitioner: str
    event: str
    details: str
    outcome: str
    comment: str
    significant: bool
    in_scope: bool
    people: list[str]  # last: read as JSON text from some drivers (chronology.integrated.rows.people_list)


class LinkRow(NamedTuple):
    """One suggested link of the version, with what finds the chair's decision on it."""

    kind: str
    seq_a: int
    seq_b: int
    source_a: int
    source_b: int
    fingerprint_a: str
    fingerprint_b: str


def export_chronology_data(
    chronology: IntegratedChronology, *, names: str = "designations", run: Publication | None = None
) -> ExportChronology:
    """The version as export data. With designations every text goes through ``run`` (a run
    for the review is made when none is given); its findings are the caller's to act on."""
    review = chronology.review
    published = None
    if names != "real":
        published = PublishedEntries(run if run is not None else publication_for_review(review))
    episodes = _episodes(review, published)
    if published is None:
        entries = _export_entries(chronology, None, episodes)
    else:
        # A version's published entries are kept once made (chronology.exports.kept), keyed by
        # everything they depend on: another export of it in any format does not redo them.
        key = kept_key(chronology, published.run, episodes)
        kept = kept_entries(key, published.run)
        entries = kept if kept is not None else _export_entries(chronology, published, episodes)
        if kept is None:
            keep_entries(key, published.run, entries)
    case_name = published.text(review.case_name, "case name", "review:case_name") if published else review.case_name
    return _chronology_data(chronology, names=names, case_name=case_name, entries=entries, episodes=episodes)


def _export_entries(
    chronology: IntegratedChronology, published: PublishedEntries | None, episodes: list[ExportEpisode]
) -> list[ExportEntry]:
    links = _links_by_seq(chronology)
    entries = []
    for batch in _entry_rows(chronology):
        if published is None:
            entries += [_export_entry(row, None, episodes=episodes, links=links) for row in batch]
        else:  # every text of the batch checked in one pass
            texts = published.entries(batch)
            entries += [
                _export_entry(row, text, episodes=episodes, links=links) for row, text in zip(batch, texts, strict=True)
            ]
    return entries


def _links_by_seq(chronology: IntegratedChronology) -> dict[int, list[ExportLink]]:
    """Each entry's suggested links, both ways round, with the chair's decision on each."""
    decisions = link_decisions(chronology.review_id)
    # In the model's order, named here: the model's own would join the version and its review to
    # sort 100,000 links by them (a sort on disk, five times as long as reading them).
    links = chronology.links.order_by("seq_a", "seq_b")
    by_seq: dict[int, list[ExportLink]] = {}
    if not (decisions.by_sources or decisions.by_fingerprints):  # nothing decided: every link suggested
        for kind, seq_a, seq_b in chain.from_iterable(_read(links.values_list("kind", "seq_a", "seq_b"), LINK_BATCH)):
            by_seq.setdefault(seq_a, []).append(ExportLink(kind, seq_b, "suggested"))
            by_seq.setdefault(seq_b, []).append(ExportLink(kind, seq_a, "suggested"))
        return by_seq
    for link in map(LinkRow._make, chain.from_iterable(_read(links.values_list(*LinkRow._fields), LINK_BATCH))):
        status = decisions.status(link.kind, link.source_a, link.source_b, link.fingerprint_a, link.fingerprint_b)
        by_seq.setdefault(link.seq_a, []).append(ExportLink(link.kind, link.seq_b, status))
        by_seq.setdefault(link.seq_b, []).append(ExportLink(link.kind, link.seq_a, status))
    return by_seq


def _read(rows: QuerySet, size: int = EXPORT_BATCH) -> Iterator[list[tuple]]:
    """A values_list query's rows in batches of ``size``, read with a plain cursor (server-side on
    PostgreSQL): Django's reading of each value costs more than the query itself on 100,000 rows
    (the drivers already give numbers, dates, times and booleans; a JSON field comes as its text,
    or as the value on some drivers)."""
    sql, params = rows.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(size):
            yield batch


def _episodes(review: Review, published: PublishedEntries | None) -> list[ExportEpisode]:
    """The key episodes, their titles published when the export is for designations."""
    return [
        ExportEpisode(title=_episode_title(episode, number, published), start=episode.start, end=episode.end)
        for number, episode in enumerate(review.episodes.all(), start=1)
    ]


def _episode_title(episode: KeyEpisode, number: int, published: PublishedEntries | None) -> str:
    if published is None:
        return episode.title
    return published.text(episode.title, f"key episode {number}, title", f"episode:{episode.pk}:title")


def _entry_rows(chronology: IntegratedChronology) -> Iterator[list[EntryRow]]:
    """The version's entries in order, in batches of EXPORT_BATCH."""
    people: dict[str, list[str]] = {}  # a list by its JSON text: a handful of lists repeat
    for rows in _read(chronology.entries.order_by("seq").values_list(*EntryRow._fields)):
        batch = []
        for row in rows:
            listed = row[-1]
            if not isinstance(listed, list):
                written, listed = listed, people.get(listed)
                if listed is None:
                    listed = people[written] = people_list(written)
            batch.append(EntryRow._make(row[:-1] + (listed,)))
        yield batch


def _export_entry(
    row: EntryRow,
    published: PublishedEntry | None,
    *,
    episodes: list[ExportEpisode],
    links: dict[int, list[ExportLink]],
) -> ExportEntry:
    """One entry as exported: its texts as published (or as written) and, when the chair redacted
    its date, dated to its month."""
    texts: EntryRow | PublishedEntry = row
    agency, dates = row.agency_name, None
    if published is not None:
        texts, agency, dates = published, published.agency, published.dates
    start, end, precision, display = dates or (row.date_start, row.date_end, row.precision, row.date_display)
    # By position, in ExportEntry's field order: keywords cost a tenth of a second over 100,000 entries.
    return ExportEntry(
        row.seq, start, end, precision, display, row.time, agency, list(texts.people), texts.source,
        texts.practitioner, texts.event, texts.details, texts.outcome, texts.comment, row.significant, row.in_scope,
        _episode_for(episodes, start, end), links.get(row.seq, []),
    )  # fmt: skip


def _episode_for(episodes: list[ExportEpisode], start: datetime.date, end: datetime.date) -> str | None:
    """The first episode an entry falls in (its dates overlap the episode's)."""
    for episode in episodes:
        if start <= episode.end and episode.start <= end:
            return episode.title
    return None


TITLE_CHARACTERS = 150


class TimelineRow(NamedTuple):
    """One entry as the timeline picture needs it."""

    seq: int
    date_start: datetime.date
    date_end: datetime.date
    precision: str
    date_display: str
    agency_name: str
    event: str
    details: str
    significant: bool
    in_scope: bool


TIMELINE_FIELDS = TimelineRow._fields


def timeline_rows(chronology: IntegratedChronology) -> Iterator[TimelineRow]:
    """The version's entries as the timeline needs them, in order, read in batches."""
    rows = chronology.entries.order_by("seq").values_list(*TIMELINE_FIELDS)
    return map(TimelineRow._make, rows.iterator(chunk_size=EXPORT_BATCH))


def timeline_chronology_data(
    chronology: IntegratedChronology,
    *,
    rows: Iterable[TimelineRow] | None = None,
    gaps: list[ExportGap] | None = None,
) -> ExportChronology:
    """Only what the timeline picture shows (dates, agency, event and the start of the details):
    a fraction of the work of a full export on a large chronology. The build passes the rows it
    is writing (`rows`, in seq order) and the gaps it found, so they are not read back.

    Entries' event and details are left as the agencies wrote them: the picture shows them only
    for marks that stand for one entry, so it replaces names in just those (timeline_svg's
    `clean`, given the review's register). Episode titles and the case name are replaced here."""
    register = register_for_review(chronology.review)

    def clean(text: str) -> str:
        return register.replace(text).text

    review = chronology.review
    episodes = [ExportEpisode(title=clean(e.title), start=e.start, end=e.end) for e in review.episodes.all()]
    return _chronology_data(
        chronology,
        names="designations",
        case_name=clean(review.case_name),
        entries=timeline_entries(timeline_rows(chronology) if rows is None else rows),
        episodes=episodes,
        gaps=gaps,
    )


def timeline_entries(rows: Iterable[TimelineRow]) -> list[ExportEntry]:
    """The entries as the timeline picture takes them. Reads nothing from the database."""
    return [
        ExportEntry(
            seq=row.seq,
            date_start=row.date_start,
            date_end=row.date_end,
            precision=row.precision,
            date_display=row.date_display,
            time=None,
            agency=row.agency_name,
            people=[],
            source="",
            practitioner="",
            event=row.event,
            details=row.details[:TITLE_CHARACTERS],
            outcome="",
            comment="",
            significant=row.significant,
            in_scope=row.in_scope,
        )
        for row in rows
    ]


def _chronology_data(
    chronology: IntegratedChronology,
    *,
    names: str,
    case_name: str,
    entries: list[ExportEntry],
    episodes: list[ExportEpisode],
    gaps: list[ExportGap] | None = None,
) -> ExportChronology:
    """The version's review and build details around its entries: one place for both the
    full export data and the timeline's. Gaps are read from the version unless given."""
    review = chronology.review
    if gaps is None:
        gaps = [ExportGap(start=gap.start, end=gap.end, days=gap.days) for gap in chronology.gaps.all()]
    return ExportChronology(
        reference=review.reference,
        review_type=review.review_type,
        review_type_label=review.get_review_type_display(),
        case_name=case_name,
        partnership=review.partnership.name,
        scope_start=review.scope_start,
        scope_end=review.scope_end,
        built_at=(chronology.finished_at or chronology.requested_at).astimezone(datetime.UTC),
        version=chronology.version,
        names=names,
        agencies=list(chronology.agency_names),
        entries=entries,
        gaps=gaps,
        episodes=episodes,
        marking=protective_marking(published=review.stage == review.Stage.PUBLISHED, personal_data=names == "real"),
    )
