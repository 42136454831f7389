"""Reads of the integrated chronology's exports: what a file was made from, and whether it
still is what an export made now would be (a designations export is superseded when the
register, the chair's decisions, the key episodes or the exporters' code change)."""

from __future__ import annotations

import hashlib
import json

from casereview.code_version import chronology_export_code_version
from chronology.models import ChronologyExport, IntegratedChronology, LinkDecision
from reviews.publication import publication_inputs

EXPORTS_SHOWN = 5  # on the integrated chronology's page, latest first

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


def exports_latest(chronology: IntegratedChronology) -> list[ChronologyExport]:
    """The version's latest exports (without their files), each marked ``superseded`` when its
    inputs have changed since it was made."""
    exports = list(chronology.exports.select_related("chronology__review").order_by("-requested_at")[:EXPORTS_SHOWN])
    current: dict[tuple[str, str], str] = {}
    for export in exports:
        export_mark_superseded(export, current)
    return exports


def export_mark_superseded(export: ChronologyExport, current: dict[tuple[str, str], str] | None = None) -> None:
    """Set ``export.superseded``: a ready file that an export made now would not match."""
    export.superseded = export.status == ChronologyExport.Status.READY and not export_is_current(export, current)
