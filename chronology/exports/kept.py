"""The published entries of an integrated chronology version, kept once made, so that another
designations export of the same version (in any format) does not publish its texts again.

A version's entries never change; what their published texts depend on besides is the
publication run's inputs (the person register, the chair's decisions and redactions, the
pipeline's code: ``Publication.inputs_key`` of the very run that asks), the key episodes (their
titles are published and name each entry's episode), the chair's link decisions and the
exporters' code. All of them are in the key, so any change to them makes the entries be
published afresh. Only a run that found nothing at all is kept (no finding, acknowledged or
not, and no name confirmed by the chair), and the texts it found clean are handed to the
asking run only when its inputs are the same (``Publication.add_clean``), so that the check of
the finished file skips them just as it would have in the run that made them.

One version is kept per process (the latest made): a large chronology's entries take tens of
megabytes."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from dataclasses import dataclass

from casereview.code_version import chronology_export_code_version
from chronology.exports.data import ExportEntry, ExportEpisode
from chronology.models import IntegratedChronology, LinkDecision
from reviews.publication import Publication


@dataclass(frozen=True)
class Kept:
    key: str
    entries: list[ExportEntry]
    # The run that made them: the texts it found clean, in the entries and in the files it
    # checked since (``Publication.check_file``), are given to a run with the same inputs.
    run: Publication
    inputs_key: str  # that run's inputs
    replacements: Counter  # the replacements it counted


_lock = threading.Lock()
_kept: dict[str, Kept] = {}


def kept_key(chronology: IntegratedChronology, run: Publication, episodes: list[ExportEpisode]) -> str:
    """Everything the published entries of ``chronology`` depend on besides its own rows."""
    state = {
        # The version, by more than its id (which a database may give again once it is deleted).
        "version": [chronology.pk, chronology.review_id, chronology.version, chronology.entry_count],
        "built": [chronology.requested_at, chronology.finished_at],
        "code": chronology_export_code_version(),  # the pipeline's code and word lists among it
        "publication": run.inputs_key,
        "episodes": [(e.title, e.start, e.end) for e in episodes],
        "links": list(
            LinkDecision.objects.filter(review_id=chronology.review_id)
            .order_by("pk")
            .values_list("pk", "kind", "status", "decided_at")
        ),
    }
    return hashlib.sha256(json.dumps(state, default=str, sort_keys=True).encode()).hexdigest()


def kept_entries(key: str, run: Publication) -> list[ExportEntry] | None:
    """The entries kept under ``key``, their clean texts and replacements given to ``run``; None
    when none are kept (or ``run``'s inputs differ from those of the run that made them)."""
    with _lock:
        kept = _kept.get(key)
    if kept is None or not run.add_clean(kept.run.known_clean(), inputs_key=kept.inputs_key):
        return None
    run.replacements.update(kept.replacements)
    return kept.entries


def keep_entries(key: str, run: Publication, entries: list[ExportEntry]) -> None:
    """Keep ``entries`` under ``key`` when ``run`` found nothing in them at all."""
    if run.findings or run.confirmed:
        return
    kept = Kept(key, entries, run, run.inputs_key, Counter(run.replacements))
    with _lock:
        _kept.clear()
        _kept[key] = kept


def kept_forget() -> None:
    """Keep nothing (tests)."""
    with _lock:
        _kept.clear()
