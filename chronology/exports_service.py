"""Exports of the integrated chronology: a row per request, rendered by a task, downloaded
through an access-checked view."""

from __future__ import annotations

import hashlib
import json
import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from casereview import jobs
from casereview.code_version import chronology_export_code_version
from chronology.export_build import export_chronology_data
from chronology.models import ChronologyExport, IntegratedChronology, LinkDecision
from reviews.audit import audit_record
from reviews.publication import PublicationBlocked, publication_for_review, publication_inputs

logger = logging.getLogger(__name__)
ERROR_CHARACTERS = 2000  # of a failed export's reason


# The exporters' code, the publication pipeline's, the PDF renderer's and their packages' versions.
EXPORT_CODE_VERSION = chronology_export_code_version()


def export_fingerprint(chronology: IntegratedChronology, *, fmt: str, names: str) -> str:
    """What an export's file is made from besides the version's entries (which never change):
    the key episodes, the chair's link decisions, the case name, the exporters' code and, for a
    designations export, what the publication pipeline reads (register, decisions, its code)."""
    review = chronology.review
    state = {
        "version": chronology.pk,
        "format": fmt,
        "names": names,
        "code": EXPORT_CODE_VERSION,
        "case_name": review.case_name,
        "episodes": list(review.episodes.order_by("pk").values_list("pk", "title", "start", "end")),
        "links": list(
            LinkDecision.objects.filter(review=review).order_by("pk").values_list("pk", "status", "decided_at")
        ),
        "publication": publication_inputs(review) if names == ChronologyExport.Names.DESIGNATIONS else "",
    }
    return hashlib.sha256(json.dumps(state, default=str, sort_keys=True).encode()).hexdigest()


def export_is_current(export: ChronologyExport, current: dict[tuple[str, str], str] | None = None) -> bool:
    """A designations export made from the inputs as they are now. Panel exports are what the
    agencies wrote and are always offered (each says it contains personal data)."""
    if export.names != ChronologyExport.Names.DESIGNATIONS:
        return True
    key = (export.format, export.names)
    if current is not None and key in current:
        return export.fingerprint == current[key]
    fingerprint = export_fingerprint(export.chronology, fmt=export.format, names=export.names)
    if current is not None:
        current[key] = fingerprint
    return export.fingerprint == fingerprint


def render_export(chronology: IntegratedChronology, *, fmt: str, names: str) -> bytes:
    """The export file: the one path for the web's exports and the command line. A designations
    export goes through the publication pipeline (reviews.publication), its texts as they are
    read (so a finding names the entry and field) and then every part of the finished file:
    ``PublicationBlocked`` when anything identifying remains that the chair has not redacted or
    acknowledged, and then no file at all."""
    from chronology import exports

    run = publication_for_review(chronology.review) if names == ChronologyExport.Names.DESIGNATIONS else None
    data = export_chronology_data(chronology, names=names, run=run)
    if run is not None and run.blocking:
        raise PublicationBlocked(run.blocking)
    if fmt == "json":
        content = exports.chronology_json(data)
    elif fmt == "csv":
        content = exports.chronology_csv(data)
    elif fmt == "xlsx":
        content = exports.chronology_xlsx(data)
    elif fmt == "pdf":
        from chronology.timeline import timeline_svg

        content = exports.chronology_pdf(data, timeline_svg=timeline_svg(data))
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    if run is not None:
        found = run.check_file(fmt, content, f"{fmt.upper()} file")
        if found:
            raise PublicationBlocked(found)
    return content


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
    """Make the file of a claimed export (the job's work): its bytes and fingerprint, written with
    the ready status in one UPDATE, so there is never a half-written export."""
    chronology = IntegratedChronology.objects.select_related("review__partnership").get(pk=export.chronology_id)
    # Taken before the file is made: an input that changes meanwhile supersedes the file at once.
    fingerprint = export_fingerprint(chronology, fmt=export.format, names=export.names)
    try:
        data = render_export(chronology, fmt=export.format, names=export.names)
    except PublicationBlocked as exc:
        raise jobs.JobFailed(_blocked_reason(exc)) from exc
    return {"data": data, "fingerprint": fingerprint}


def _blocked_reason(exc: PublicationBlocked) -> str:
    """The findings, entry by entry and field by field, within what the row keeps."""
    reason = str(exc)
    if len(reason) <= ERROR_CHARACTERS:
        return reason
    more = f"; and more ({len(exc.findings)} findings in all)"
    return reason[: ERROR_CHARACTERS - len(more)].rsplit("; ", 1)[0] + more


def export_cancel(*, actor: User, export: ChronologyExport) -> bool:
    """Stop an export that is waiting or being made; False if it had already ended."""
    with transaction.atomic():
        cancelled = jobs.job_cancel(export)
        if cancelled:
            audit_record(
                actor=actor, action="chronology.export_cancelled", obj=export, review=export.chronology.review,
                object_repr=f"Integrated chronology v{export.chronology.version} as {export.format.upper()}",
            )  # fmt: skip
    return cancelled


def export_retry(*, actor: User, export: ChronologyExport) -> bool:
    """Make a failed or cancelled export again, as if asked for now."""
    with transaction.atomic():
        queued = jobs.job_retry(export, actor=actor)
        if queued:
            audit_record(
                actor=actor,
                action="chronology.export_retried",
                obj=export,
                review=export.chronology.review,
                object_repr=f"Integrated chronology v{export.chronology.version} as {export.format.upper()}",
            )
    return queued
