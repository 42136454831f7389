"""The integrated chronology of one version as export data (chronology/export_data.py),
with the chair's link decisions, the key episodes, and names replaced by designations unless
the export is for the panel with real names."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from chronology.export_data import ExportChronology, ExportEntry, ExportEpisode, ExportGap, ExportLink
from chronology.models import IntegratedChronology

EXPORT_BATCH = 5000


def export_chronology_data(chronology: IntegratedChronology, *, names: str = "designations") -> ExportChronology:
    review = chronology.review
    from chronology.integrated_selectors import link_decisions, text_cleaners

    clean, clean_name = text_cleaners(chronology, names)

    decisions = link_decisions(chronology.review_id)
    links_by_seq: dict[int, list[ExportLink]] = {}
    for kind, seq_a, seq_b, source_a, source_b, fingerprint_a, fingerprint_b in chronology.links.values_list(
        "kind", "seq_a", "seq_b", "source_a", "source_b", "fingerprint_a", "fingerprint_b"
    ):
        status = decisions.status(kind, source_a, source_b, fingerprint_a, fingerprint_b)
        links_by_seq.setdefault(seq_a, []).append(ExportLink(kind=kind, seq=seq_b, status=status))
        links_by_seq.setdefault(seq_b, []).append(ExportLink(kind=kind, seq=seq_a, status=status))

    episodes = [
        ExportEpisode(title=clean(episode.title), start=episode.start, end=episode.end)
        for episode in review.episodes.all()
    ]
    fields = (
        "seq", "date_start", "date_end", "precision", "date_display", "time", "agency_name", "people", "source",
        "practitioner", "event", "details", "outcome", "comment", "significant", "in_scope",
    )  # fmt: skip
    entries = []
    for values in chronology.entries.order_by("seq").values_list(*fields).iterator(chunk_size=EXPORT_BATCH):
        (seq, start, end, precision, display, time, agency, people, source, practitioner, event, details, outcome,
         comment, significant, in_scope) = values  # fmt: skip
        entries.append(
            ExportEntry(
                seq=seq,
                date_start=start,
                date_end=end,
                precision=precision,
                date_display=display,
                time=time,
                agency=agency,
                people=[clean_name(person) for person in people],
                source=clean(source),
                practitioner=clean(practitioner),
                event=clean(event),
                details=clean(details),
                outcome=clean(outcome),
                comment=clean(comment),
                significant=significant,
                in_scope=in_scope,
                episode=_episode_for(episodes, start, end),
                links=links_by_seq.get(seq, []),
            )  # fmt: skip
        )
    return _chronology_data(chronology, names=names, case_name=clean(review.case_name), entries=entries,
                            episodes=episodes)  # fmt: skip


def _episode_for(episodes: list[ExportEpisode], start: datetime.date, end: datetime.date) -> str | None:
    """The first episode an entry falls in (its dates overlap the episode's)."""
    for episode in episodes:
        if start <= episode.end and episode.start <= end:
            return episode.title
    return None


TITLE_CHARACTERS = 150
TIMELINE_FIELDS = ("seq", "date_start", "date_end", "precision", "date_display", "agency_name", "event", "details",
                   "significant", "in_scope")  # fmt: skip
# One entry as the timeline needs it, in TIMELINE_FIELDS order.
TimelineRow = tuple[int, datetime.date, datetime.date, str, str, str, str, str, bool, bool]


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
    from reviews.publication import register_for_review

    register = register_for_review(chronology.review)

    def clean(text: str) -> str:
        return register.replace(text).text

    review = chronology.review
    episodes = [ExportEpisode(title=clean(e.title), start=e.start, end=e.end) for e in review.episodes.all()]
    if rows is None:
        rows = chronology.entries.order_by("seq").values_list(*TIMELINE_FIELDS).iterator(chunk_size=EXPORT_BATCH)
    return _chronology_data(
        chronology,
        names="designations",
        case_name=clean(review.case_name),
        entries=timeline_entries(rows),
        episodes=episodes,
        gaps=gaps,
    )


def timeline_entries(rows: Iterable[TimelineRow]) -> list[ExportEntry]:
    """The entries as the timeline picture takes them. Reads nothing from the database."""
    return [
        ExportEntry(
            seq=seq,
            date_start=start,
            date_end=end,
            precision=precision,
            date_display=display,
            time=None,
            agency=agency,
            people=[],
            source="",
            practitioner="",
            event=event,
            details=details[:TITLE_CHARACTERS],
            outcome="",
            comment="",
            significant=significant,
            in_scope=in_scope,
        )  # fmt: skip
        for seq, start, end, precision, display, agency, event, details, significant, in_scope in rows
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
        marking="OFFICIAL" if review.stage == review.Stage.PUBLISHED else "OFFICIAL-SENSITIVE",
    )
