"""Writes for agency chronologies: typed entries, uploads and imports.

Every write locks the IMR row first, so a chronology cannot change under a submission that
is happening at the same moment, and refuses once the IMR has been submitted."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from accounts.models import User
from casereview import jobs
from casereview.storage import file_bytes, file_store, files_clear, files_delete_on_commit
from chronology.importers import (
    FileRefused,
    ParsedRow,
    ParseResult,
    parse_chronology_file,
    result_dumps,
    result_loads,
    sniff,
)
from chronology.models import ChronologyEntry, ChronologyUpload
from chronology.selectors import DUPLICATE_FIELDS, import_plan
from reviews.archived import review_ensure_open
from reviews.audit import audit_record
from reviews.models import Imr

# The ParsedRow fields an entry stores, by the same names: what makes it the entry it is, and the
# date as shown.
ENTRY_FIELDS = (*DUPLICATE_FIELDS, "date_display")
IMPORT_BATCH_SIZE = 2000
# A checked file waits this long for its author to import it.
UPLOAD_KEPT_FOR = datetime.timedelta(hours=24)


def imr_lock_for_change(imr: Imr) -> Imr:
    """Lock the IMR row for this transaction and check the agency may still change it."""
    locked = Imr.objects.select_for_update().get(pk=imr.pk)
    review_ensure_open(locked.review_id)
    if not locked.is_editable:
        raise ValidationError(
            f"This IMR is {locked.get_status_display().lower()}: its chronology and narrative can no longer be changed."
        )
    return locked


def imr_mark_started(imr: Imr) -> None:
    """The first change by the agency moves a requested IMR to in progress."""
    if imr.status == Imr.Status.REQUESTED:
        imr.status = Imr.Status.IN_PROGRESS
        imr.save(update_fields=["status", "updated_at"])


def _entry_relock(entry: ChronologyEntry) -> ChronologyEntry:
    """The entry as it is now, under the IMR's lock: a co-author may have deleted it since the
    page was drawn, and saving the old copy would bring it back."""
    current = ChronologyEntry.objects.filter(pk=entry.pk, imr_id=entry.imr_id).select_related("imr__review").first()
    if current is None:
        raise ValidationError("This entry has been deleted by someone else: reload the chronology.")
    return current


def _entry_values(row: ParsedRow) -> dict:
    return {name: getattr(row, name) for name in ENTRY_FIELDS}


@transaction.atomic
def entry_create(*, actor: User, imr: Imr, row: ParsedRow) -> ChronologyEntry:
    imr = imr_lock_for_change(imr)
    last = imr.entries.aggregate(last=Max("position"))["last"] or 0
    entry = ChronologyEntry.objects.create(
        imr=imr, position=last + 1, created_by=actor, updated_by=actor, **_entry_values(row)
    )
    imr_mark_started(imr)
    # Entries hold names and facts: the audit trail records that and when, not what.
    audit_record(
        actor=actor, action="chronology.entry_added", obj=entry, review=imr.review, object_repr=entry.date_display
    )
    return entry


@transaction.atomic
def entry_update(*, actor: User, entry: ChronologyEntry, row: ParsedRow) -> ChronologyEntry:
    imr_lock_for_change(entry.imr)
    entry = _entry_relock(entry)
    changed = [name for name, value in _entry_values(row).items() if getattr(entry, name) != value]
    if changed:
        for name in changed:
            setattr(entry, name, getattr(row, name))
        entry.updated_by = actor
        entry.save(update_fields=[*changed, "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action="chronology.entry_changed",
            obj=entry,
            review=entry.imr.review,
            object_repr=entry.date_display,
            detail={"changed": changed},
        )
    return entry


@transaction.atomic
def entry_delete(*, actor: User, entry: ChronologyEntry) -> None:
    imr_lock_for_change(entry.imr)
    entry = _entry_relock(entry)
    audit_record(
        actor=actor,
        action="chronology.entry_deleted",
        obj=entry,
        review=entry.imr.review,
        object_repr=entry.date_display,
    )
    entry.delete()


@transaction.atomic
def entry_move(*, actor: User, entry: ChronologyEntry, direction: str) -> ChronologyEntry | None:
    """Move an entry before or after its neighbour on the same day (the agency's order is
    what breaks ties there). Returns the neighbour it changed places with, or None when there
    is no such neighbour."""
    if direction not in ("up", "down"):
        raise ValidationError(f'"{direction}" is not a direction: use up or down.')
    imr_lock_for_change(entry.imr)
    entry = _entry_relock(entry)
    same_day = ChronologyEntry.objects.filter(imr_id=entry.imr_id, date_start=entry.date_start, time=entry.time)
    if direction == "up":
        neighbour = same_day.filter(position__lt=entry.position).order_by("-position").first()
    else:
        neighbour = same_day.filter(position__gt=entry.position).order_by("position").first()
    if neighbour is None:
        return None
    entry.position, neighbour.position = neighbour.position, entry.position
    ChronologyEntry.objects.bulk_update([entry, neighbour], ["position"])
    audit_record(
        actor=actor,
        action="chronology.entry_moved",
        obj=entry,
        review=entry.imr.review,
        object_repr=entry.date_display,
        detail={"direction": direction},
    )
    return neighbour


@transaction.atomic
def upload_request(
    *, actor: User, imr: Imr, data: bytes, original_name: str, sheet: str = "", max_bytes: int
) -> ChronologyUpload:
    """Keep an uploaded file and ask for it to be checked, once, by a job (upload_parse). A file
    that is too big or is no CSV or XLSX spreadsheet at all (told from its first bytes) is refused
    at once with FileRefused, and nothing is kept. The same file sent again while its check waits
    or runs (a second click) is that check; any other upload waiting on the IMR is discarded."""
    imr = imr_lock_for_change(imr)
    kind = sniff(data, max_bytes=max_bytes)
    name = file_store(ChronologyUpload, "upload_file", data, ext=kind)
    upload, new = jobs.job_request(
        ChronologyUpload,
        actor=actor,
        same={
            "imr": imr,
            "upload_sha256": hashlib.sha256(data).hexdigest(),
            "sheet": sheet[:100],
            "outcome": ChronologyUpload.Outcome.WAITING,
        },
        original_name=original_name[:255],
        upload_file=name,
    )
    if not new:
        files_delete_on_commit(default_storage, [name])
    if new:
        uploads_discard(imr, keep=upload)
        # File names often name the family: the audit trail records the size only.
        audit_record(
            actor=actor,
            action="chronology.uploaded",
            obj=imr,
            object_repr=f"Chronology upload: {imr.agency.name}",
            detail={"bytes": len(data)},
        )
    return upload


def upload_parse(upload: ChronologyUpload, run: jobs.JobRun) -> dict[str, object]:
    """The job's work (chronology.tasks.upload_parse_task): read the file once and store what was
    found (rows and every issue) in place of the file. A file that cannot be read at all fails
    the job with the reason, and is cleared too."""
    try:
        result = parse_chronology_file(
            file_bytes(upload.upload_file),
            filename=upload.original_name,
            sheet=upload.sheet or None,
            max_bytes=settings.CHRONOLOGY_UPLOAD_MAX_BYTES,
            max_unpacked_bytes=settings.CHRONOLOGY_UPLOAD_MAX_UNPACKED_BYTES,
            max_cells=settings.CHRONOLOGY_UPLOAD_MAX_CELLS,
        )
    except FileRefused as exc:
        run.update(upload_file="")
        raise jobs.JobFailed(str(exc)) from exc
    # Written with the ready status in one UPDATE by the job mechanism (the uploaded file goes then).
    return {
        "upload_file": "",
        "parse_file": file_store(ChronologyUpload, "parse_file", result_dumps(result), ext="bin"),
        "sheet": (result.sheet or "")[:100],
        "row_count": len(result.rows),
        "error_count": len(result.errors),
    }


def upload_result(upload: ChronologyUpload) -> ParseResult:
    """What the upload's check found, as it stored it: the preview and the import read this."""
    if upload.status != ChronologyUpload.Status.READY or not upload.parse_file:
        raise ValidationError("This file has not been checked yet.")
    return result_loads(file_bytes(upload.parse_file))


def uploads_discard(imr: Imr, *, keep: ChronologyUpload | None = None) -> int:
    """Clear the uploads of this IMR not imported (a newer file, or the IMR submitted): the file,
    what its check found, and a check still to come (its worker then writes nothing)."""
    waiting = ChronologyUpload.objects.filter(imr=imr, outcome=ChronologyUpload.Outcome.WAITING)
    if keep is not None:
        waiting = waiting.exclude(pk=keep.pk)
    return uploads_clear(waiting)


def uploads_discard_stale() -> int:
    """Clear uploads left waiting for import (the file, or what its check found): they hold
    personal data nobody is using. A check still waiting after so long is cancelled. Conditional
    UPDATEs, so running twice (or on two workers) does no harm."""
    stale = ChronologyUpload.objects.filter(
        outcome=ChronologyUpload.Outcome.WAITING, created_at__lt=timezone.now() - UPLOAD_KEPT_FOR
    )
    return uploads_clear(stale)


def uploads_clear(waiting: QuerySet[ChronologyUpload]) -> int:
    """Discard these uploads: their files and what their checks found are cleared, and a check
    still to come is cancelled. Conditional UPDATEs, so doing it twice does no harm."""
    jobs.jobs_cancel(waiting)
    return files_clear(waiting, "upload_file", "parse_file", outcome=ChronologyUpload.Outcome.DISCARDED)


def _upload_claim(upload: ChronologyUpload, imr: Imr) -> None:
    """Mark the upload imported and let its files go, by a conditional update: a second click on
    Import imports nothing twice."""
    waiting = ChronologyUpload.objects.filter(
        pk=upload.pk, imr=imr, status=ChronologyUpload.Status.READY, outcome=ChronologyUpload.Outcome.WAITING
    )
    if not files_clear(waiting, "upload_file", "parse_file", outcome=ChronologyUpload.Outcome.IMPORTED):
        raise ValidationError("This file has already been imported or replaced by a newer upload.")


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: how many entries it added, how many it deleted first (replace), and
    the file's rows it skipped as exact duplicates (add)."""

    added: int
    replaced: int = 0
    skipped: list[int] = field(default_factory=list)


class ImportMode(models.TextChoices):
    ADD = "add", "Add these rows to the chronology"
    REPLACE = "replace", "Replace the whole chronology"


def chronology_import(
    *, actor: User | None, imr: Imr, result: ParseResult, replace: bool, upload: ChronologyUpload | None = None
) -> int:
    """Import every row of a parsed file into an empty chronology, or (``replace``) in place of
    the one there is: how many entries it added. A chronology with entries is refused unless
    ``replace``: a choice to add goes through chronology_import_rows."""
    mode = ImportMode.REPLACE if replace else None
    return chronology_import_rows(actor=actor, imr=imr, result=result, mode=mode, upload=upload).added


@transaction.atomic
def chronology_import_rows(
    *,
    actor: User | None,
    imr: Imr,
    result: ParseResult,
    mode: str | None,
    upload: ChronologyUpload | None = None,
) -> ImportOutcome:
    """Import a parsed file, all or nothing: a file with any error imports nothing.

    ``mode`` is the author's choice: "add" adds the rows that are not exact duplicates of an
    entry already in the chronology or of an earlier row of the file (and says which were
    skipped); "replace" deletes every entry and imports every row. With no choice (None) only
    an empty chronology takes the file."""
    if mode not in (None, *ImportMode.values):
        raise ValidationError(f'"{mode}" is not a choice: add the rows or replace the chronology.')
    if result.errors:
        raise ValidationError(
            f"The file has {len(result.errors)} problem{'s' if len(result.errors) != 1 else ''}; nothing was imported."
        )
    if not result.rows:
        raise ValidationError("The file has no chronology rows under its header.")
    imr = imr_lock_for_change(imr)
    if upload is not None:
        _upload_claim(upload, imr)
    if mode == ImportMode.ADD:
        # Against the chronology as it is under the lock, not as the preview saw it.
        plan = import_plan(imr, result)
        rows, skipped, replaced = plan.to_add, plan.skipped, 0
    else:
        replaced = imr.entries.count()
        if replaced and mode != ImportMode.REPLACE:
            raise ValidationError(
                f"This chronology already has {replaced} entr{'y' if replaced == 1 else 'ies'}. "
                "Choose whether to add the file's rows to them or to replace them."
            )
        imr.entries.all().delete()
        rows, skipped = result.rows, []
    first = (imr.entries.aggregate(last=Max("position"))["last"] or 0) + 1
    ChronologyEntry.objects.bulk_create(
        (
            ChronologyEntry(imr=imr, position=position, created_by=actor, updated_by=actor, **_entry_values(row))
            for position, row in enumerate(rows, start=first)
        ),
        batch_size=IMPORT_BATCH_SIZE,
    )
    if rows:
        imr_mark_started(imr)
    detail: dict[str, object] = {"rows": len(rows), "replaced": replaced}
    if mode == ImportMode.ADD:
        detail |= {"mode": "add", "skipped": len(skipped)}
    audit_record(
        actor=actor, action="chronology.imported", obj=imr, object_repr=f"Chronology: {imr.agency.name}", detail=detail
    )
    return ImportOutcome(added=len(rows), replaced=replaced, skipped=skipped)
