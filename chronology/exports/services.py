"""Exports of the integrated chronology: a row per request (casereview.jobs), its file made by
a task, downloaded through an access-checked view (chronology.exports.views)."""

from __future__ import annotations

import gc
import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from casereview import jobs
from casereview.pdf import cycle_collection_paused
from casereview.storage import file_store
from chronology.exports import formats
from chronology.exports.build import export_chronology_data
from chronology.exports.data import ExportChronology
from chronology.exports.selectors import export_fingerprint
from chronology.integrated.timeline_svg import timeline_svg
from chronology.models import ChronologyExport, IntegratedChronology
from reviews.audit import audit_record
from reviews.publication import PublicationBlocked, publication_for_review

logger = logging.getLogger(__name__)
ERROR_CHARACTERS = 2000  # of a failed export's reason


def render_export(chronology: IntegratedChronology, *, fmt: str, names: str) -> bytes:
    """The export file: the one path for the web's exports and the command line. A designations
    export goes through the publication pipeline (reviews.publication), its texts as they are
    read (so a finding names the entry and field) and then every part of the finished file:
    ``PublicationBlocked`` when anything identifying remains that the chair has not redacted or
    acknowledged, and then no file at all.

    Python's cycle collector is paused meanwhile, as it is for a PDF's layout (casereview.pdf):
    a large chronology's export makes a million objects (its entries, their links and texts),
    none of them in a cycle, and the collector walked every object again and again as they
    were made, a third of the CPU time of the first export of 100,000 entries."""
    with cycle_collection_paused():
        run = publication_for_review(chronology.review) if names == ChronologyExport.Names.DESIGNATIONS else None
        data = export_chronology_data(chronology, names=names, run=run)
        if run is not None and run.blocking:
            raise PublicationBlocked(run.blocking)
        content = _render(data, fmt)
        if run is not None:
            found = run.check_file(fmt, content, f"{fmt.upper()} file")
            if found:
                raise PublicationBlocked(found)
        _made_objects_aged()
    return content


def _made_objects_aged() -> None:
    """Every object the cycle collector tracks moved to its oldest generation, as if it had
    lived through the young collections: the export's entries (kept for the next export of the
    version) are then walked at the collector's next full collection only, not by the young
    collection that runs as soon as the collector does again (a quarter of a second for 100,000
    entries), nor by the next. Nothing is done where objects were frozen on purpose (as a
    forking server does before it forks), which this would undo."""
    if not gc.get_freeze_count():
        gc.freeze()  # every tracked object into the permanent generation...
        gc.unfreeze()  # ...and all of them back, into the oldest one


def _render(data: ExportChronology, fmt: str) -> bytes:
    if fmt == "json":
        return formats.chronology_json(data)
    if fmt == "csv":
        return formats.chronology_csv(data)
    if fmt == "xlsx":
        return formats.chronology_xlsx(data)
    if fmt == "pdf":
        return formats.chronology_pdf(data, timeline_svg=timeline_svg(data))
    raise ValueError(f"unknown export format {fmt!r}")


@transaction.atomic
def export_request(*, actor: User, chronology: IntegratedChronology, fmt: str, names: str) -> ChronologyExport:
    """Queue an export of a built version (casereview.jobs); the same export already waiting or
    being made is the one returned."""
    if chronology.status != IntegratedChronology.Status.READY:
        raise ValidationError("Only a built version can be exported.")
    if fmt not in ChronologyExport.Format.values:
        raise ValidationError({"format": f'"{fmt}" is not an export format.'})
    if names not in ChronologyExport.Names.values:
        raise ValidationError({"names": f'"{names}" is not a names choice.'})
    export, _new = jobs.job_request(
        ChronologyExport, actor=actor, same={"chronology": chronology, "format": fmt, "names": names}
    )
    audit_record(
        actor=actor,
        action="chronology.exported",
        obj=export,
        review=chronology.review,
        object_repr=f"Integrated chronology v{chronology.version} as {fmt.upper()}",
        detail={"format": fmt, "names": names},
    )
    return export


def export_produce(export: ChronologyExport, run: jobs.JobRun) -> dict:
    """Make the file of a claimed export (the job's work), checked, then stored: its name and
    fingerprint are written with the ready status in one UPDATE, so there is never a half-written export."""
    chronology = IntegratedChronology.objects.select_related("review__partnership").get(pk=export.chronology_id)
    # Taken before the file is made: an input that changes meanwhile supersedes the file at once.
    fingerprint = export_fingerprint(chronology, fmt=export.format, names=export.names)
    try:
        data = render_export(chronology, fmt=export.format, names=export.names)
    except PublicationBlocked as exc:
        raise jobs.JobFailed(_blocked_reason(exc)) from exc
    return {"file": file_store(ChronologyExport, "file", data, ext=export.format), "fingerprint": fingerprint}


def _blocked_reason(exc: PublicationBlocked) -> str:
    """The findings, entry by entry and field by field, within what the row keeps."""
    reason = str(exc)
    if len(reason) <= ERROR_CHARACTERS:
        return reason
    more = f"; and more ({len(exc.findings)} findings in all)"
    return reason[: ERROR_CHARACTERS - len(more)].rsplit("; ", 1)[0] + more


def export_cancel(*, actor: User, export: ChronologyExport) -> bool:
    """Stop an export that is waiting or being made; False if it had already ended."""
    return jobs.job_cancel_recorded(
        export, actor=actor, action="chronology.export_cancelled", review=export.chronology.review,
        object_repr=f"Integrated chronology v{export.chronology.version} as {export.format.upper()}",
    )  # fmt: skip


def export_retry(*, actor: User, export: ChronologyExport) -> bool:
    """Make a failed or cancelled export again, as if asked for now."""
    return jobs.job_retry_recorded(
        export, actor=actor, action="chronology.export_retried", review=export.chronology.review,
        object_repr=f"Integrated chronology v{export.chronology.version} as {export.format.upper()}",
    )  # fmt: skip
