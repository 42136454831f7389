"""The integrated chronology of one version as export data (chronology/export_data.py),
with the chair's link decisions and the key episodes. A designations export sends every text
(each field of each entry, the people, episode titles, agency names and the case name) through
one publication run (reviews.publication): names replaced by designations, fields the chair
redacted become "[Redacted]", and what remains is a finding that names the entry and field.
A panel export with real names leaves the text as the agencies wrote it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any, NamedTuple

from chronology.export_data import ExportChronology, ExportEntry, ExportEpisode, ExportGap, ExportLink
from chronology.merge import entry_fingerprint
from chronology.models import IntegratedChronology
from reviews.labels import protective_marking
from reviews.publication import Publication, Where, publication_for_review

EXPORT_BATCH = 5000
# The fields of an entry that are text, in the order a finding lists them.
TEXT_FIELDS = ("source", "practitioner", "event", "details", "outcome", "comment")


class PublishedEntries:
    """Every text of a designations export through one publication run, each with the entry
    and field it came from. Acknowledgements and redactions are kept against the agency entry
    the integrated entry was copied from (its fingerprint), so they hold across rebuilds and
    apply wherever that entry is published (a footnote cites it by the same scope)."""

    def __init__(self, run: Publication):
        self.run = run
        self.agencies: dict[str, str] = {}

    def text(self, text: str, label: str, scope: str, *, sentence_case: bool = True) -> str:
        return self.run.text(text, Where(label, scope, group="Integrated chronology"), sentence_case=sentence_case)

    def entry(
        self,
        seq: int,
        agency_id: int,
        agency: str,
        start: datetime.date,
        end: datetime.date,
        precision: str,
        display: str,
        fields: dict[str, Any],
    ) -> dict[str, Any]:
        """One entry's text fields (and its people and agency) as published."""
        fingerprint = entry_fingerprint(agency_id, start, end, precision, fields["details"])
        # The month only: an entry's day may be a date of birth, and labels go in the audit trail.
        place = f"entry #{seq} ({agency}, {month_of(start, end).display})"
        out = {name: self.text(fields[name], f"{place}, {name}", f"entry:{fingerprint}:{name}") for name in TEXT_FIELDS}
        # The people as one text (a redaction takes the whole list), designations as registered.
        people = self.text("; ".join(fields["people"]), f"{place}, person(s)", f"entry:{fingerprint}:people",
                           sentence_case=False)  # fmt: skip
        out["people"] = [person for person in people.split("; ") if person]
        date_where = Where(f"{place}, date", f"entry:{fingerprint}:date", group="Integrated chronology")
        if self.run.is_redacted(date_where, display):
            # A date the chair redacted (a birth recorded on the day it happened) is published to
            # its month only: the order and the episode still read, the day of birth does not.
            out["dates"] = month_of(start, end)
        else:
            self.run.check(display, date_where)
        if agency not in self.agencies:
            self.agencies[agency] = self.text(agency, f"agency name (entry #{seq})", f"agency:{agency_id}:name")
        out["agency"] = self.agencies[agency]
        return out


def export_chronology_data(
    chronology: IntegratedChronology, *, names: str = "designations", run: Publication | None = None
) -> ExportChronology:
    """The version as export data. With designations every text goes through ``run`` (a run
    for the review is made when none is given); its findings are the caller's to act on."""
    review = chronology.review
    from chronology.integrated_selectors import link_decisions

    published = None
    if names != "real":
        published = PublishedEntries(run if run is not None else publication_for_review(review))

    decisions = link_decisions(chronology.review_id)
    links_by_seq: dict[int, list[ExportLink]] = {}
    for kind, seq_a, seq_b, source_a, source_b, fingerprint_a, fingerprint_b in chronology.links.values_list(
        "kind", "seq_a", "seq_b", "source_a", "source_b", "fingerprint_a", "fingerprint_b"
    ):
        status = decisions.status(kind, source_a, source_b, fingerprint_a, fingerprint_b)
        links_by_seq.setdefault(seq_a, []).append(ExportLink(kind=kind, seq=seq_b, status=status))
        links_by_seq.setdefault(seq_b, []).append(ExportLink(kind=kind, seq=seq_a, status=status))

    episodes = [
        ExportEpisode(
            title=published.text(episode.title, f"key episode {number}, title", f"episode:{episode.pk}:title")
            if published
            else episode.title,
            start=episode.start,
            end=episode.end,
        )
        for number, episode in enumerate(review.episodes.all(), start=1)
    ]
    fields = (
        "seq", "date_start", "date_end", "precision", "date_display", "time", "agency_id", "agency_name", "people",
        "source", "practitioner", "event", "details", "outcome", "comment", "significant", "in_scope",
    )  # fmt: skip
    entries = []
    for values in chronology.entries.order_by("seq").values_list(*fields).iterator(chunk_size=EXPORT_BATCH):
        (seq, start, end, precision, display, time, agency_id, agency, people, source, practitioner, event, details,
         outcome, comment, significant, in_scope) = values  # fmt: skip
        text = {"people": people, "source": source, "practitioner": practitioner, "event": event,
                "details": details, "outcome": outcome, "comment": comment, "agency": agency}  # fmt: skip
        if published is not None:
            text = published.entry(seq, agency_id, agency, start, end, precision, display, text)
            if "dates" in text:
                start, end, precision, display = text["dates"]
        entries.append(
            ExportEntry(
                seq=seq,
                date_start=start,
                date_end=end,
                precision=precision,
                date_display=display,
                time=time,
                agency=text["agency"],
                people=list(text["people"]),
                source=text["source"],
                practitioner=text["practitioner"],
                event=text["event"],
                details=text["details"],
                outcome=text["outcome"],
                comment=text["comment"],
                significant=significant,
                in_scope=in_scope,
                episode=_episode_for(episodes, start, end),
                links=links_by_seq.get(seq, []),
            )  # fmt: skip
        )
    case_name = published.text(review.case_name, "case name", "review:case_name") if published else review.case_name
    return _chronology_data(chronology, names=names, case_name=case_name, entries=entries, episodes=episodes)


class MonthDates(NamedTuple):
    start: datetime.date
    end: datetime.date
    precision: str
    display: str


def month_of(start: datetime.date, end: datetime.date) -> MonthDates:
    """An entry's dates to the month (or months) they fall in."""
    first = start.replace(day=1)
    following = (end.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    last = following - datetime.timedelta(days=1)
    if (first.year, first.month) == (last.year, last.month):
        return MonthDates(first, last, "month", f"{first:%b %Y}")
    return MonthDates(first, last, "range", f"{first:%b %Y} to {last:%b %Y}")


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
        marking=protective_marking(published=review.stage == review.Stage.PUBLISHED, personal_data=names == "real"),
    )
