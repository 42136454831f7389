"""Writes for agency chronologies: typed entries, uploads and imports.

Every write locks the IMR row first, so a chronology cannot change under a submission that
is happening at the same moment, and refuses once the IMR has been submitted."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from accounts.models import User
from chronology.importers import ParsedRow, ParseResult, parse_chronology_file
from chronology.models import ChronologyEntry, ChronologyUpload
from reviews.audit import audit_record
from reviews.models import Imr

# The ParsedRow fields an entry stores, by the same names.
ENTRY_FIELDS = (
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
)
IMPORT_BATCH_SIZE = 2000


def imr_lock_for_change(imr: Imr) -> Imr:
    """Lock the IMR row for this transaction and check the agency may still change it."""
    locked = Imr.objects.select_for_update().get(pk=imr.pk)
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
    changed = [name for name, value in _entry_values(row).items() if getattr(entry, name) != value]
    if changed:
        for name in changed:
            setattr(entry, name, getattr(row, name))
        entry.updated_by = actor
        entry.save()
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
    audit_record(
        actor=actor,
        action="chronology.entry_deleted",
        obj=entry,
        review=entry.imr.review,
        object_repr=entry.date_display,
    )
    entry.delete()


@transaction.atomic
def entry_move(*, actor: User, entry: ChronologyEntry, direction: str) -> bool:
    """Move an entry before or after its neighbour on the same day (the agency's order is
    what breaks ties there). Returns False when there is no such neighbour."""
    if direction not in ("up", "down"):
        raise ValidationError(f'"{direction}" is not a direction: use up or down.')
    imr_lock_for_change(entry.imr)
    same_day = ChronologyEntry.objects.filter(imr_id=entry.imr_id, date_start=entry.date_start, time=entry.time)
    if direction == "up":
        neighbour = same_day.filter(position__lt=entry.position).order_by("-position").first()
    else:
        neighbour = same_day.filter(position__gt=entry.position).order_by("position").first()
    if neighbour is None:
        return False
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
    return True


@transaction.atomic
def upload_create(
    *, actor: User, imr: Imr, data: bytes, original_name: str, sheet: str = "", max_bytes: int
) -> tuple[ChronologyUpload, ParseResult]:
    """Keep an uploaded file for its preview. Raises FileRefused for a file that is not a
    chronology spreadsheet at all; row errors are in the result, shown on the preview."""
    imr = imr_lock_for_change(imr)
    result = parse_chronology_file(data, filename=original_name, sheet=sheet or None, max_bytes=max_bytes)
    # Only the newest upload waits for import: older ones, and their files, go.
    for stale in imr.uploads.filter(status=ChronologyUpload.Status.PREVIEWED):
        _upload_discard(stale)
    upload = ChronologyUpload(
        imr=imr,
        token=secrets.token_urlsafe(24),
        original_name=original_name[:255],
        sheet=result.sheet or "",
        row_count=len(result.rows),
        error_count=len(result.errors),
        uploaded_by=actor,
    )
    upload.file.save(upload.token, ContentFile(data), save=False)
    upload.save()
    audit_record(
        actor=actor,
        action="chronology.uploaded",
        obj=upload,
        review=imr.review,
        object_repr=upload.original_name,
        detail={"rows": upload.row_count, "errors": upload.error_count},
    )
    return upload, result


def _upload_discard(upload: ChronologyUpload) -> None:
    upload.file.delete(save=False)
    upload.status = ChronologyUpload.Status.DISCARDED
    upload.save(update_fields=["status", "file"])


def upload_parse(upload: ChronologyUpload, *, max_bytes: int) -> ParseResult:
    with upload.file.open("rb") as handle:
        data = handle.read()
    return parse_chronology_file(data, filename=upload.original_name, sheet=upload.sheet or None, max_bytes=max_bytes)


@transaction.atomic
def chronology_import(
    *, actor: User | None, imr: Imr, result: ParseResult, replace: bool, upload: ChronologyUpload | None = None
) -> int:
    """Import every row of a parsed file, or nothing: a file with any error imports nothing.
    Existing entries are replaced only when the caller says so (the author confirmed)."""
    if result.errors:
        raise ValidationError(
            f"The file has {len(result.errors)} problem{'s' if len(result.errors) != 1 else ''}; nothing was imported."
        )
    if not result.rows:
        raise ValidationError("The file has no chronology rows under its header.")
    imr = imr_lock_for_change(imr)
    existing = imr.entries.count()
    if existing and not replace:
        raise ValidationError(
            f"This chronology already has {existing} entr{'y' if existing == 1 else 'ies'}. "
            "Confirm that the file should replace them."
        )
    imr.entries.all().delete()
    ChronologyEntry.objects.bulk_create(
        (
            ChronologyEntry(imr=imr, position=position, created_by=actor, updated_by=actor, **_entry_values(row))
            for position, row in enumerate(result.rows, start=1)
        ),
        batch_size=IMPORT_BATCH_SIZE,
    )
    imr_mark_started(imr)
    if upload is not None:
        # The entries now hold what the file held; the copy of the file is not kept.
        upload.file.delete(save=False)
        upload.status = ChronologyUpload.Status.IMPORTED
        upload.save(update_fields=["status", "file"])
    audit_record(
        actor=actor,
        action="chronology.imported",
        obj=imr,
        object_repr=f"Chronology: {imr.agency.name}",
        detail={"rows": len(result.rows), "replaced": existing, "file": upload.original_name if upload else ""},
    )
    return len(result.rows)
