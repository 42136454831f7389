"""What a section's references point at, and how the editor names them.

An entry is cited by its fingerprint, ``[[entry:<32 hex>]]`` (chronology.integrated.rows.
entry_fingerprint: its agency, dates, precision and details), so a citation keeps pointing at the
same entry when the agency's chronology is imported again and the entry gets a new database id.
Citations by id, ``[[entry:19]]``, from before, still resolve. Only entries of IMRs the document
may cite (submitted or accepted) are found.

The editor shows each reference as a chip with a label: "#72 · Police · 12 May 2012" (72: the
entry's number in the latest integrated chronology, left out when it is not in it), "IMR: GP",
"DASH — Domestic Abuse, Stalking and Honour Based Violence"."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from chronology.integrated.rows import FINGERPRINT_LENGTH, entry_fingerprint
from chronology.models import ChronologyEntry, IntegratedChronology, IntegratedEntry
from reports import richtext
from reports.models import GlossaryTerm
from reviews.models import Imr, Review


def is_fingerprint(value: str) -> bool:
    return len(value) == FINGERPRINT_LENGTH and all(ch in "0123456789abcdef" for ch in value)


def entry_key(entry: ChronologyEntry | IntegratedEntry) -> str:
    """The fingerprint an entry is cited by."""
    agency_id = entry.agency_id if isinstance(entry, IntegratedEntry) else entry.imr.agency_id
    return entry_fingerprint(agency_id, entry.date_start, entry.date_end, entry.precision, entry.details)


def citable_entries(review: Review):
    return ChronologyEntry.objects.filter(imr__review=review, imr__status__in=Imr.CITABLE_STATUSES)


def entries_cited(review: Review, values: Iterable[str]) -> dict[str, ChronologyEntry]:
    """The citable entries that ``[[entry:VALUE]]`` references point at, by VALUE (an id or a
    fingerprint), each with its IMR and agency. With fingerprints among them, the fingerprint
    fields of every citable entry are read first (the fingerprint is not a column), then the
    entries found: two queries; one with ids only."""
    values = set(values)
    ids = {int(value) for value in values if value.isdigit() and len(value) < 19}
    keys = {value for value in values if is_fingerprint(value)}
    by_key: dict[str, int] = {}
    if keys:
        fields = citable_entries(review).order_by("pk")
        for pk, *fingerprinted in fields.values_list("pk", "imr__agency_id", "date_start", "date_end", "precision",
                                                     "details").iterator(chunk_size=2000):  # fmt: skip
            key = entry_fingerprint(*fingerprinted)
            if key in keys and key not in by_key:  # the first of identical entries
                by_key[key] = pk
                if len(by_key) == len(keys):
                    break
    wanted = ids | set(by_key.values())
    if not wanted:
        return {}
    entries = {entry.pk: entry for entry in citable_entries(review).filter(pk__in=wanted).select_related("imr__agency")}
    found = {str(pk): entries[pk] for pk in ids if pk in entries}
    found.update({key: entries[pk] for key, pk in by_key.items() if pk in entries})
    return found


def entry_numbers(review: Review, entries: Iterable[ChronologyEntry]) -> dict[int, int]:
    """Each entry's number in the review's latest integrated chronology, by entry id: found by
    the id it was built from or, for an entry imported again since, by its fingerprint. One query."""
    entries = list(entries)
    if not entries:
        return {}
    latest = (
        IntegratedChronology.objects.filter(review=review, status=IntegratedChronology.Status.READY)
        .order_by("-version")
        .values("pk")[:1]
    )
    by_key = {entry_key(entry): entry.pk for entry in entries}
    rows = IntegratedEntry.objects.filter(chronology_id__in=latest).filter(
        Q(source_id__in=[entry.pk for entry in entries])
        | Q(agency_id__in={entry.imr.agency_id for entry in entries}, date_start__in={e.date_start for e in entries})
    )
    numbers: dict[int, int] = {}
    for row in rows.only("seq", "source_id", "agency_id", "date_start", "date_end", "precision", "details"):
        pk = row.source_id if row.source_id in by_key.values() else by_key.get(entry_key(row))
        if pk is not None and (pk not in numbers or row.source_id == pk):
            numbers[pk] = row.seq
    return numbers


def entry_label(entry: ChronologyEntry, number: int | None) -> str:
    parts = [f"#{number}"] if number else []
    return " · ".join([*parts, entry.imr.agency.name, entry.date_display])


def imr_label(imr: Imr) -> str:
    return f"IMR: {imr.agency.name}"


def term_label(term: GlossaryTerm) -> str:
    return f"{term.abbreviation} — {term.expansion}"


def reference_labels(review: Review, body: str) -> dict[str, str]:
    """The labels of the references a section's text cites, by "kind:value" as cited ("entry:
    3fa4…", "imr:7", "term:DASH"), for the editor's chips; one query per kind. A reference that
    points at nothing has no label (the editor says it was not found)."""
    cited = set(richtext.references(body))
    labels: dict[str, str] = {}
    entries = entries_cited(review, {value for kind, value in cited if kind == "entry"})
    numbers = entry_numbers(review, {entry.pk: entry for entry in entries.values()}.values())
    for value, entry in entries.items():
        labels[f"entry:{value}"] = entry_label(entry, numbers.get(entry.pk))
    imr_ids = {int(value) for kind, value in cited if kind == "imr" and value.isdigit() and len(value) < 19}
    if imr_ids:
        for imr in Imr.objects.filter(review=review, pk__in=imr_ids).select_related("agency"):
            labels[f"imr:{imr.pk}"] = imr_label(imr)
    terms = {value for kind, value in cited if kind == "term"}
    if terms:
        # As the document resolves them (reports.compose.References): as typed, or in capitals.
        rows = {term.abbreviation: term for term in GlossaryTerm.objects.filter(review=review)}
        for value in terms:
            if (term := rows.get(value) or rows.get(value.upper())) is not None:
                labels[f"term:{value}"] = term_label(term)
    return labels
