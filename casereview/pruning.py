"""Generated and uploaded files are kept in the file storage only while someone may want them.

Every kind of job that keeps a file (casereview.jobs) keeps it after it has been replaced. Once a
replaced or finished file is older than its limit (days, from the environment: the PRUNE_*_AFTER_DAYS
settings), ``files_prune`` frees it:

- document renders (reports.DocumentRender): each but the latest ready one of its document, format,
  version (panel or publication) and kind (as published or not);
- chronology exports (chronology.ChronologyExport): each but the latest ready one of its format and
  names of the review's latest ready integrated chronology;
- uploads (chronology.ChronologyUpload): the file and what its check found, once imported,
  discarded, failed or left waiting;
- submission packs (reports.SubmissionPack): each but the review's latest ready pack;
- the board's action plans across its reviews (actions.BoardPlanExport): each but the partnership's
  latest ready file of each format;
- integrated chronology versions (chronology.IntegratedChronology): failed or cancelled builds, and
  ready versions a later ready version replaces, once no export is left of them. A review's latest
  ready version and its highest-numbered one (so a number is never given twice) stay.

A row nothing else refers to is deleted, and its stored files with it (casereview.storage, once the
deletion commits); a row that something refers to (a publication's frozen file names the render it was
copied from) is kept whole; uploads keep their rows and lose their files. Published files
(reports.Publication, PublishedArtefact) keep stored files of their own and are never touched. Each review
whose files were freed gets one audit entry summing up what was freed (a partnership, for its
plan files). Last, stored files that no row names at all are deleted (casereview.orphans). Running
it twice, or on two workers, does no harm: the second run finds nothing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import ForeignObjectRel, Q, QuerySet
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from actions.models import BoardPlanExport
from casereview.jobs import Job
from casereview.orphans import orphans_prune
from casereview.storage import file_size, files_clear
from chronology.models import (
    ChronologyExport,
    ChronologyUpload,
    Gap,
    IntegratedChronology,
    IntegratedEntry,
    SuggestedLink,
)
from chronology.services import uploads_clear
from reports.models import DocumentRender, SubmissionPack
from reviews.audit import audit_record
from reviews.models import Partnership, Review

FINISHED = (Job.Status.READY, Job.Status.FAILED, Job.Status.CANCELLED)
ORPHANS = "Stored files no row names"  # casereview.orphans


@dataclass
class Freed:
    """What one kind of file gave back (or would): rows deleted, rows whose bytes were cleared."""

    kind: str
    deleted: int = 0
    cleared: int = 0
    bytes: int = 0
    # review id (a partnership's, for a board's files) -> [rows, bytes], for its audit entry.
    by_review: dict[int, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    owner: type[models.Model] = Review

    @property
    def line(self) -> str:
        return f"{self.kind}: {self.deleted} deleted, {self.cleared} cleared, {human_size(self.bytes)} freed"


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} bytes"  # pragma: no cover - the loop always returns


@dataclass(frozen=True)
class Kind:
    """A kind of job row that keeps files, and how to find its review and its files."""

    name: str
    model: type[Job]
    review: str  # the lookup from the row to its review's id (or its owner's: see ``owner``)
    file_fields: tuple[str, ...]  # its stored files (casereview.storage)
    setting: str  # the PRUNE_*_AFTER_DAYS setting of its limit
    # Rows of other models that are the row's own content, deleted with it: not references.
    own: tuple[type[models.Model], ...] = ()
    # Only its files are ever cleared, the row kept (an upload records what was imported).
    clear_only: bool = False
    # A row something refers to loses its files (False: it stays whole).
    clear_referenced: bool = True
    # Text columns whose size counts as what the row holds (a version's timeline picture).
    text_fields: tuple[str, ...] = ()
    # Whose audit entry counts what was freed: the review, or the partnership for a board's file.
    owner: type[models.Model] = Review


# A render a publication was copied from stays whole: a ready render of the document's fingerprint
# is offered again when asked for (reports.render_service), so it is never left ready and empty.
RENDERS = Kind(
    "Document renders",
    DocumentRender,
    "document__review_id",
    ("file",),
    "PRUNE_RENDERS_AFTER_DAYS",
    clear_referenced=False,
)
EXPORTS = Kind("Chronology exports", ChronologyExport, "chronology__review_id", ("file",), "PRUNE_EXPORTS_AFTER_DAYS")
UPLOADS = Kind(
    "Chronology uploads",
    ChronologyUpload,
    "imr__review_id",
    ("upload_file", "parse_file"),
    "PRUNE_UPLOADS_AFTER_DAYS",
    clear_only=True,
)
PACKS = Kind("Submission packs", SubmissionPack, "review_id", ("file",), "PRUNE_PACKS_AFTER_DAYS")
PLAN_EXPORTS = Kind(
    "Board action plan files", BoardPlanExport, "partnership_id", ("file",), "PRUNE_EXPORTS_AFTER_DAYS",
    owner=Partnership,
)  # fmt: skip
CHRONOLOGIES = Kind(
    "Integrated chronology versions",
    IntegratedChronology,
    "review_id",
    (),
    "PRUNE_CHRONOLOGIES_AFTER_DAYS",
    own=(IntegratedEntry, SuggestedLink, Gap),
    clear_referenced=False,
    text_fields=("timeline_svg",),
)


def cutoff(kind: Kind, now: datetime) -> datetime:
    return now - timedelta(days=int(getattr(settings, kind.setting, 30)))


def latest_ready(model: type[Job], group: Iterable[str], rows: QuerySet | None = None) -> set[int]:
    """The pk of the newest ready row of each group (the file a page offers as current)."""
    group = list(group)
    rows = model.objects.all() if rows is None else rows
    ordered = rows.filter(status=Job.Status.READY).order_by(*group, "-requested_at", "-pk")
    keep: dict[tuple, int] = {}
    for values in ordered.values_list(*group, "pk"):
        keep.setdefault(tuple(values[:-1]), values[-1])
    return set(keep.values())


def _old(kind: Kind, now: datetime) -> QuerySet:
    return kind.model.objects.filter(status__in=FINISHED, requested_at__lt=cutoff(kind, now))


def renders_prunable(now: datetime) -> QuerySet[DocumentRender]:
    keep = latest_ready(DocumentRender, ("document", "format", "publication", "as_published"))
    return _old(RENDERS, now).exclude(pk__in=keep)


def exports_prunable(now: datetime) -> QuerySet[ChronologyExport]:
    current = latest_ready(IntegratedChronology, ("review",))
    keep = latest_ready(
        ChronologyExport, ("chronology", "format", "names"), ChronologyExport.objects.filter(chronology__in=current)
    )
    return _old(EXPORTS, now).exclude(pk__in=keep)


def packs_prunable(now: datetime) -> QuerySet[SubmissionPack]:
    return _old(PACKS, now).exclude(pk__in=latest_ready(SubmissionPack, ("review",)))


def plan_exports_prunable(now: datetime) -> QuerySet[BoardPlanExport]:
    return _old(PLAN_EXPORTS, now).exclude(pk__in=latest_ready(BoardPlanExport, ("partnership", "format")))


def uploads_prunable(now: datetime) -> QuerySet[ChronologyUpload]:
    """Uploads past their limit still holding a file or a check's result, whatever their outcome:
    one waiting for import this long is abandoned (it is discarded as it is cleared)."""
    rows = ChronologyUpload.objects.exclude(status__in=Job.ACTIVE).filter(created_at__lt=cutoff(UPLOADS, now))
    return rows.filter(_holding(UPLOADS))


def chronologies_prunable(now: datetime, exports_going: set[int]) -> QuerySet[IntegratedChronology]:
    """Failed or cancelled builds, and ready versions replaced by a later ready one, with no export
    left once ``exports_going`` are gone."""
    highest: dict[int, int] = {}
    for review_id, pk in IntegratedChronology.objects.order_by("review", "-version").values_list("review", "pk"):
        highest.setdefault(review_id, pk)
    keep = latest_ready(IntegratedChronology, ("review",)) | set(highest.values())
    exported = ChronologyExport.objects.exclude(pk__in=exports_going).values("chronology_id")
    return _old(CHRONOLOGIES, now).exclude(pk__in=keep).exclude(pk__in=exported)


def _holding(kind: Kind) -> Q:
    """Rows that still hold a stored file or a text column's content."""
    held = Q(pk__in=[])
    for name in (*kind.file_fields, *kind.text_fields):
        held |= ~Q(**{name: ""})
    return held


def _size(kind: Kind, row: models.Model) -> int:
    """What a row holds: its stored files' sizes (asked of the storage) and its text columns'."""
    text = sum(getattr(row, f"{name}_size") or 0 for name in kind.text_fields)
    return text + sum(file_size(getattr(row, name)) for name in kind.file_fields)


def referenced(kind: Kind, rows: QuerySet) -> set[int]:
    """The pks among ``rows`` that a row of another model refers to (every foreign key to the model,
    whatever it does on delete), so the row stays and only its bytes go."""
    found: set[int] = set()
    # Hidden ones too: a publication's frozen file names its render without a reverse accessor.
    relations = [f for f in kind.model._meta.get_fields(include_hidden=True) if isinstance(f, ForeignObjectRel)]
    for relation in relations:
        if relation.related_model in kind.own or relation.related_model is ChronologyExport:
            continue  # its own content, or (exports) looked after by chronologies_prunable
        column = relation.field.attname
        related: type[models.Model] = relation.related_model  # type: ignore[assignment]
        found |= set(
            related._base_manager.filter(**{f"{column}__in": rows.values("pk")})
            .values_list(column, flat=True)
            .distinct()
        )
    return found


def _tally(kind: Kind, rows: QuerySet, freed: Freed) -> int:
    """Count ``rows`` and their bytes into ``freed``; returns their bytes."""
    total = 0
    sizes = {f"{name}_size": Coalesce(Length(name), 0) for name in kind.text_fields}
    sized = rows.annotate(review_id_=models.F(kind.review), **sizes).only("pk", *kind.file_fields)
    for row in sized:
        size = _size(kind, row)
        freed.by_review[row.review_id_][0] += 1
        freed.by_review[row.review_id_][1] += size
        total += size
    freed.bytes += total
    return total


def kind_prune(kind: Kind, rows: QuerySet, *, dry_run: bool) -> Freed:
    """Delete the rows nothing refers to, with their stored files, and clear the files of the rest
    (uploads are only cleared; a chronology version something refers to stays whole)."""
    freed = Freed(kind.name, owner=kind.owner)
    pks = set(rows.values_list("pk", flat=True))
    model: type[models.Model] = kind.model
    kept = pks if kind.clear_only else referenced(kind, model._base_manager.filter(pk__in=pks))
    to_clear = model._base_manager.filter(pk__in=kept if kind.clear_referenced else ())
    to_clear = to_clear.filter(_holding(kind))
    to_delete = model._base_manager.filter(pk__in=pks - kept)
    _tally(kind, to_clear, freed)
    _tally(kind, to_delete, freed)
    freed.cleared = to_clear.count()
    freed.deleted = to_delete.count()
    if not dry_run:
        if kind is UPLOADS:
            uploads_clear(ChronologyUpload.objects.filter(pk__in=kept, outcome=ChronologyUpload.Outcome.WAITING))
        if kind.file_fields:
            files_clear(
                model._base_manager.filter(pk__in=list(to_clear.values_list("pk", flat=True))), *kind.file_fields
            )
        # Each row's files go with it once this commits (casereview.storage), a cascade's too.
        to_delete.delete()
    return freed


def files_prune(*, dry_run: bool = False, now: datetime | None = None) -> list[Freed]:
    """Free every file past its limit that no page offers as current (see the module's docstring).
    ``dry_run`` counts what would be freed and changes nothing."""
    now = now or timezone.now()
    results: list[Freed] = []
    steps: list[tuple[Kind, Callable[[], QuerySet]]] = [
        (RENDERS, lambda: renders_prunable(now)),
        (EXPORTS, lambda: exports_prunable(now)),
        (UPLOADS, lambda: uploads_prunable(now)),
        (PACKS, lambda: packs_prunable(now)),
        (PLAN_EXPORTS, lambda: plan_exports_prunable(now)),
    ]
    exports_going: set[int] = set()
    for kind, find in steps:
        with transaction.atomic():
            rows = find()
            if kind is EXPORTS:
                exports_going = set(rows.values_list("pk", flat=True))
            results.append(kind_prune(kind, rows, dry_run=dry_run))
    with transaction.atomic():
        results.append(kind_prune(CHRONOLOGIES, chronologies_prunable(now, exports_going), dry_run=dry_run))
    count, size = orphans_prune(dry_run=dry_run, now=now)
    results.append(Freed(ORPHANS, deleted=count, bytes=size))
    if not dry_run:
        prune_audit(results)
    return results


def prune_audit(results: list[Freed]) -> None:
    """One audit entry for each review (or partnership, for its plan files) whose files were freed:
    what of each kind, and how much."""
    owners: dict[type[models.Model], dict[int, dict[str, dict[str, int]]]] = defaultdict(lambda: defaultdict(dict))
    for freed in results:
        for owner_id, (rows, size) in freed.by_review.items():
            owners[freed.owner][owner_id][freed.kind] = {"files": rows, "bytes": size}
    for model, details in owners.items():
        for owner in model._default_manager.filter(pk__in=details):
            detail = details[owner.pk]
            summary = "; ".join(f"{kind}: {d['files']} ({human_size(d['bytes'])})" for kind, d in detail.items())
            audit_record(
                actor=None,
                action="files.pruned",
                obj=owner,
                detail=detail,
                object_repr=f"Old generated files freed: {summary}",
            )


def prune_lines(results: list[Freed], *, dry_run: bool) -> list[str]:
    """What a run freed (or would), a line a kind and a total, for the command and the worker's log."""
    lines = [freed.line for freed in results]
    total = sum(freed.bytes for freed in results)
    lines.append(f"{'Would free' if dry_run else 'Freed'} {human_size(total)} in all.")
    if dry_run:
        lines = [line.replace(" deleted", " to delete").replace(" cleared", " to clear") for line in lines]
        lines[:-1] = [line.replace(" freed", " to free") for line in lines[:-1]]
    return lines


def files_prune_summary(*, dry_run: bool = False) -> list[str]:
    return prune_lines(files_prune(dry_run=dry_run), dry_run=dry_run)
