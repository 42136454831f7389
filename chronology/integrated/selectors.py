"""Reads for the integrated chronology pages: the table with its filters, links and markers,
the suggested-links page, comparing versions, the timeline's fingerprint and the publication check."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models.functions import MD5, Coalesce, Greatest, Least

from chronology.exports.build import export_chronology_data
from chronology.exports.published import PublishedEntries
from chronology.integrated.links import DUPLICATE, link_decisions
from chronology.integrated.search import fold
from chronology.models import IntegratedChronology, IntegratedEntry, KeyEpisode, LinkDecision, SuggestedLink
from reviews import publication_services
from reviews.models import Person, PublicationDecision, Review
from reviews.publication import Finding, Publication, publication_for_review


def entry_texts(chronology: IntegratedChronology, names: str):
    """How an entry's text is shown: as the agency wrote it when real names were asked for, or
    exactly as a designations export publishes it (chronology.exports.published.PublishedEntries:
    names replaced, and the chair's decisions on the entry's fields applied: a name confirmed as
    the person replaced, a redacted field "[Redacted]")."""
    if names == "real":
        return lambda entry: EntryText(
            entry.people, entry.source, entry.practitioner, entry.event, entry.details, entry.outcome, entry.comment
        )
    published = PublishedEntries(publication_for_review(chronology.review))

    def shown(entry: IntegratedEntry) -> EntryText:
        out = published.entry(entry)
        return EntryText(out.people, out.source, out.practitioner, out.event, out.details, out.outcome, out.comment)

    return shown


@dataclass(frozen=True)
class EntryText:
    people: list[str]
    source: str
    practitioner: str
    event: str
    details: str
    outcome: str
    comment: str


def timeline_fingerprint(chronology: IntegratedChronology) -> str:
    """The MD5 of the version's timeline picture as it is drawn now ("" when it has none), worked
    out by the database so that the page does not read the picture (3.5 MB at 40,000 entries). It
    changes whenever the picture is drawn again (key episodes, the person register)."""
    fingerprint = (
        IntegratedChronology.objects.filter(pk=chronology.pk)
        .annotate(
            fingerprint=Case(
                When(timeline_svg="", then=Value("")), default=MD5("timeline_svg"), output_field=TextField()
            )
        )
        .values_list("fingerprint", flat=True)
        .first()
    )
    return fingerprint or ""


def build_latest(review: Review) -> IntegratedChronology | None:
    """The review's newest version in any state (its build's progress is on the page), without
    its timeline picture: megabytes on a large chronology."""
    return review.integrated_chronologies.defer("timeline_svg").order_by("-version").first()


def versions_built(review: Review) -> QuerySet[IntegratedChronology]:
    """The review's built versions, newest first, without their timeline pictures."""
    return (
        review.integrated_chronologies.defer("timeline_svg")
        .filter(status=IntegratedChronology.Status.READY)
        .order_by("-version")
    )


def key_episodes(review: Review) -> QuerySet[KeyEpisode]:
    return review.episodes.all()


def entry_publication_decisions(review: Review) -> QuerySet[PublicationDecision]:
    """The chair's standing decisions on entries' fields (redactions, names confirmed, findings acknowledged)."""
    return review.publication_decisions.filter(scope__startswith="entry:").select_related("decided_by")


def timeline_picture(chronology: IntegratedChronology) -> str:
    """The version's timeline picture as it is drawn now (it may have been drawn again since the
    version was read)."""
    return IntegratedChronology.objects.filter(pk=chronology.pk).values_list("timeline_svg", flat=True).first() or ""


def _search(entries: QuerySet[IntegratedEntry], text: str, *, names: str) -> QuerySet[IntegratedEntry]:
    """The entries whose text as shown matches: with designations shown, the text with the
    designations where the build wrote one (search_shown, or on PostgreSQL shown_vector: names
    replaced, redactions applied), else the text as written; with real names, the text as
    written. Accents and case are folded on both sides (chronology.integrated.search).
    PostgreSQL's full-text search (stemmed: "visits" finds "visited"); elsewhere every word
    must appear."""
    table = IntegratedEntry._meta.db_table
    folded = fold(text)
    if connection.vendor == "postgresql":
        # Stored columns the build writes (migrations 0007, 0015, 0016). Unindexed: a search is
        # always within one version, whose rows are read by the (chronology, seq) index.
        if names == "real":
            where = f"{table}.search_vector @@ websearch_to_tsquery('english', %s)"
            return entries.extra(where=[where], params=[folded])
        # Written as OR, not COALESCE: the planner then knows from each column's statistics how
        # many entries match, and reads a page in order until it is full instead of every entry.
        where = (
            f"({table}.shown_vector @@ websearch_to_tsquery('english', %s) OR ({table}.shown_vector IS NULL "
            f"AND {table}.search_vector @@ websearch_to_tsquery('english', %s)))"
        )
        return entries.extra(where=[where], params=[folded, folded])
    column = f"{table}.search_text" if names == "real" else f"COALESCE({table}.search_shown, {table}.search_text)"
    for word in folded.split():
        # instr: a plain substring, where LIKE would take "%" and "_" as wildcards.
        entries = entries.extra(where=[f"instr({column}, %s) > 0"], params=[word])
    return entries


NARROWING_FILTERS = ("q", "agency", "person", "event", "episode", "significant", "scope", "linked")


def filters_narrow(filters: dict) -> bool:
    """Whether entries_filtered may leave out any entry (names and grouping only change the view)."""
    return any(filters.get(name) not in (None, "", False) for name in NARROWING_FILTERS)


# The table shows a page of entries at a time.
PAGE_SIZE = 100


def entries_page(chronology: IntegratedChronology, filters: dict, *, number: int | str | None) -> Page:
    """One page of entries_filtered. Unfiltered, the count is the build's: no COUNT over every entry."""
    paginator = Paginator(entries_filtered(chronology, filters), PAGE_SIZE)
    if not filters_narrow(filters):
        paginator.count = chronology.entry_count
    return paginator.get_page(number)


def entries_filtered(chronology: IntegratedChronology, filters: dict) -> QuerySet[IntegratedEntry]:
    entries = chronology.entries.all()
    if filters.get("q"):
        entries = _search(entries, filters["q"], names=filters.get("names") or "designations")
    if filters.get("agency"):
        entries = entries.filter(agency_id=filters["agency"])
    if filters.get("person"):
        person = Person.objects.filter(review_id=chronology.review_id, pk=filters["person"]).first()
        if person is not None:
            names = Q()
            for name in [person.real_name, *person.aliases]:
                # Folded as the stored text was (chronology.integrated.search).
                names |= Q(search_text__contains=fold(name))
            entries = entries.filter(names)
    if filters.get("event"):
        entries = entries.filter(event__icontains=filters["event"])
    if filters.get("episode"):
        episode = chronology.review.episodes.filter(pk=filters["episode"]).first()
        if episode is not None:
            entries = entries.filter(date_start__lte=episode.end, date_end__gte=episode.start)
    if filters.get("significant") in ("yes", "no"):
        entries = entries.filter(significant=filters["significant"] == "yes")
    if filters.get("scope") in ("in", "out"):
        entries = entries.filter(in_scope=filters["scope"] == "in")
    if filters.get("linked") in ("linked", "unlinked"):
        entries = entries.filter(linked=filters["linked"] == "linked")
    return entries.order_by("seq")


@dataclass
class LinkView:
    kind: str
    label: str
    other_seq: int
    other_agency: str
    status: str
    pk: int


@dataclass
class EntryRow:
    entry: IntegratedEntry
    people: list[str]
    details: str
    outcome: str
    comment: str
    event: str
    links: list[LinkView] = field(default_factory=list)
    # A confirmed duplicate of an earlier entry: shown as a source of that one.
    duplicate_of: int | None = None
    also_recorded_by: list[LinkView] = field(default_factory=list)
    kind: str = "entry"


@dataclass
class MarkerRow:
    kind: str  # "gap" or "episode"
    text: str


def page_rows(
    chronology: IntegratedChronology, entries: list[IntegratedEntry], *, names: str, filters: dict
) -> list[EntryRow | MarkerRow]:
    """The page's entries ready to show: names replaced unless real names were asked for,
    their suggested links with the chair's decisions, gaps and (when grouping) episode
    headings in between. A fixed number of queries whatever the page size."""
    shown = entry_texts(chronology, names)
    links = _links_by_seq(chronology, [entry.seq for entry in entries])
    markers = _Markers(chronology, filters)
    rows: list[EntryRow | MarkerRow] = []
    for entry in entries:
        rows.extend(markers.before(entry))
        rows.append(_entry_row(entry, shown(entry), links.get(entry.seq, [])))
    return rows


def _links_by_seq(chronology: IntegratedChronology, seqs: list[int]) -> dict[int, list[LinkView]]:
    """The suggested links of these entries, each seen from both of its entries, with the chair's decision."""
    decisions = link_decisions(chronology.review_id)
    # Explicit orders: the models' default orders would join the version and its review to sort by them.
    links = list(chronology.links.filter(Q(seq_a__in=seqs) | Q(seq_b__in=seqs)).order_by("seq_a", "seq_b", "pk"))
    other_seqs = {link.seq_a for link in links} | {link.seq_b for link in links}
    agencies = dict(chronology.entries.filter(seq__in=other_seqs).order_by().values_list("seq", "agency_name"))
    by_seq: dict[int, list[LinkView]] = {}
    for link in links:
        status = decisions.of(link)
        for this, other in ((link.seq_a, link.seq_b), (link.seq_b, link.seq_a)):
            by_seq.setdefault(this, []).append(
                LinkView(link.kind, link.get_kind_display(), other, agencies.get(other, ""), status, link.pk)
            )
    return by_seq


class _Markers:
    """The gaps (on an unfiltered page) and the episode headings (when grouping by episode) that
    go before each entry of the page, in date order."""

    def __init__(self, chronology: IntegratedChronology, filters: dict):
        self.grouping = filters.get("group") == "episode"
        unfiltered = not any(
            value not in (None, "", False) for key, value in filters.items() if key not in ("names", "group")
        )
        self.episodes = list(chronology.review.episodes.all()) if self.grouping else []
        self.gaps = list(chronology.gaps.all()) if unfiltered else []
        self.current_episode: object = None
        self.previous: IntegratedEntry | None = None

    def before(self, entry: IntegratedEntry) -> list[MarkerRow]:
        markers = [
            MarkerRow("gap", f"No agency contact for {gap.days} days: {gap.start:%-d %b %Y} to {gap.end:%-d %b %Y}")
            for gap in self.gaps
            if (self.previous is None or self.previous.date_start <= gap.start) and gap.start <= entry.date_start
        ]
        self.gaps = [gap for gap in self.gaps if gap.start > entry.date_start]
        if self.grouping:
            episode = next((e for e in self.episodes if entry.date_start <= e.end and e.start <= entry.date_end), None)
            if episode is not self.current_episode:
                markers.append(MarkerRow("episode", episode.title if episode else "Outside the key episodes"))
                self.current_episode = episode
        self.previous = entry
        return markers


def _entry_row(entry: IntegratedEntry, text: EntryText, links: list[LinkView]) -> EntryRow:
    """An entry with its links; a confirmed duplicate is shown as a source of the earlier entry."""
    confirmed = [link for link in links if link.kind == DUPLICATE and link.status == LinkDecision.Status.CONFIRMED]
    return EntryRow(
        entry=entry,
        people=text.people,
        details=text.details,
        outcome=text.outcome,
        comment=text.comment,
        event=text.event,
        links=links,
        duplicate_of=min((link.other_seq for link in confirmed if link.other_seq < entry.seq), default=None),
        also_recorded_by=[link for link in confirmed if link.other_seq > entry.seq],
    )


@dataclass
class LinkPair:
    link: SuggestedLink
    a: EntryRow
    b: EntryRow
    status: str


def links_decided(chronology: IntegratedChronology, *, kind: str = "", status: str = "") -> QuerySet[SuggestedLink]:
    """The version's suggested links, each with the chair's decision on it (`decision`:
    "confirmed", "dismissed" or "suggested"), filtered and counted by the database: the
    suggested-links page shows 25 of them and must not read every one (LinkDecisions.status,
    as SQL: by the two entries' ids, else by their fingerprints, the latest decision)."""
    decisions = LinkDecision.objects.filter(review_id=chronology.review_id, kind=OuterRef("kind"))
    for_sources = decisions.filter(
        source_a=Least(OuterRef("source_a"), OuterRef("source_b")),
        source_b=Greatest(OuterRef("source_a"), OuterRef("source_b")),
    )
    fingerprint_a, fingerprint_b = OuterRef("fingerprint_a"), OuterRef("fingerprint_b")
    for_fingerprints = (
        decisions.exclude(fingerprint_a="")
        .exclude(fingerprint_b="")
        .filter(
            Q(fingerprint_a=fingerprint_a, fingerprint_b=fingerprint_b)
            | Q(fingerprint_a=fingerprint_b, fingerprint_b=fingerprint_a)
        )
    )
    by_sources = for_sources.values("status")[:1]
    by_fingerprints = for_fingerprints.order_by("-decided_at", "-pk").values("status")[:1]
    links = chronology.links.annotate(
        decision=Coalesce(Subquery(by_sources), Subquery(by_fingerprints), Value("suggested"), output_field=CharField())
    )
    if kind:
        links = links.filter(kind=kind)
    if status == "suggested":
        # Not decided: no decision either way, which the database answers as two anti-joins
        # instead of working out every link's decision (the chair's usual filter).
        links = links.filter(~Exists(for_sources), ~Exists(for_fingerprints))
    elif status:
        links = links.filter(decision=status)
    return links.order_by("seq_a", "seq_b", "pk")


LINKS_PER_PAGE = 25


def links_page(chronology: IntegratedChronology, *, kind: str, status: str, number: int | str | None) -> Page:
    """One page of links_decided. The database skips to the page by the links' ids alone, and the
    decisions are then worked out for the page's 25 links only: the last page of 300,000 links
    would otherwise work out every decision it skips."""
    links = links_decided(chronology, kind=kind, status=status)
    page: Page[Any] = Paginator(links.values_list("pk", flat=True), LINKS_PER_PAGE).get_page(number)
    ids = list(page.object_list)
    by_id = {link.pk: link for link in links_decided(chronology).filter(pk__in=ids)}
    page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    return page


def link_pairs(chronology: IntegratedChronology, links: list[SuggestedLink], *, names: str) -> list[LinkPair]:
    """One page of links_decided ready to show: both entries of each, names replaced unless real
    names were asked for. A fixed number of queries whatever the page size."""
    shown = entry_texts(chronology, names)
    seqs = {link.seq_a for link in links} | {link.seq_b for link in links}
    entries = {entry.seq: entry for entry in chronology.entries.filter(seq__in=seqs).order_by()}

    def view(entry: IntegratedEntry) -> EntryRow:
        text = shown(entry)
        return EntryRow(
            entry=entry, people=text.people, details=text.details, outcome=text.outcome, comment=text.comment,
            event=text.event,
        )  # fmt: skip

    return [
        # `decision` is links_decided's annotation, which the type checker cannot see on the model.
        LinkPair(link, view(entries[link.seq_a]), view(entries[link.seq_b]), link.decision)  # type: ignore[attr-defined]
        for link in links
    ]


COMPARED_FIELDS = ("date_display", "time", "agency_name", "event", "details", "outcome", "comment", "significant")
CHANGES_SHOWN = 500


def version_changes(old: IntegratedChronology, new: IntegratedChronology) -> dict:
    """What changed between two versions, entry by entry (matched on the agency's own entry).
    Each entry is a row with the fields source_id, seq and COMPARED_FIELDS."""
    values = ("source_id", "seq", *COMPARED_FIELDS)
    before = {row.source_id: row for row in old.entries.values_list(*values, named=True)}
    after = {row.source_id: row for row in new.entries.values_list(*values, named=True)}
    added = [after[key] for key in after.keys() - before.keys()]
    removed = [before[key] for key in before.keys() - after.keys()]
    changed = []
    for key in before.keys() & after.keys():
        fields = [name for name in COMPARED_FIELDS if getattr(before[key], name) != getattr(after[key], name)]
        if fields:
            changed.append((after[key], fields))
    return {
        "added": sorted(added, key=lambda row: row.seq)[:CHANGES_SHOWN],
        "removed": sorted(removed, key=lambda row: row.seq)[:CHANGES_SHOWN],
        "changed": sorted(changed, key=lambda item: item[0].seq)[:CHANGES_SHOWN],
        "counts": {"added": len(added), "removed": len(removed), "changed": len(changed)},
    }


@dataclass(frozen=True)
class EntryFinding:
    """A blocking finding of a designations export, with what the chair may decide on it."""

    finding: Finding

    @property
    def can_acknowledge(self) -> bool:
        return publication_services.can_acknowledge(self.finding)

    @property
    def can_confirm_person(self) -> bool:
        return publication_services.can_confirm_person(self.finding)

    @property
    def can_redact(self) -> bool:
        return publication_services.can_redact_entry_field(self.finding)


def publication_check(chronology: IntegratedChronology) -> Publication:
    """The publication run of a designations export of this version (its texts: the finished
    file is checked as each export is made), with the chair's standing decisions."""
    run = publication_for_review(chronology.review)
    export_chronology_data(chronology, names="designations", run=run)
    return run
