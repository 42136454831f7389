"""Writes for publishing: the refusal to publish while a publication file is missing, freezing
the files a document is published with (their bytes copied, with their fingerprints and a
SHA-256) beside the publication report as it stands, and superseding a publication when the
document is withdrawn, with the reason. Called inside reports.document_services.
document_status_change, in its transaction; nothing here deletes or rewrites a frozen file."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casereview.downloads import download_filename
from casereview.storage import file_bytes, file_store, file_verify
from reports.models import Document, DocumentRender, Publication, PublishedArtefact
from reports.publication_check import PublicationReport
from reports.published_selectors import PublicationFile, publication_files
from reviews.audit import audit_record


class PublicationFilesMissing(ValidationError):
    """Publishing refused: these publication files are not made (or not ready) for the document
    as it will read once published. ``missing`` holds their formats."""

    def __init__(self, document: Document, missing: list[PublicationFile]) -> None:
        self.missing = [file.format for file in missing]
        labels = ", ".join(file.label for file in missing)
        waiting = any(file.row is not None and file.row.in_progress for file in missing)
        super().__init__(
            f"The {document.get_kind_display().lower()} is not published yet: its publication files must be made "
            f"first, and these are not ready: {labels}. "
            + (
                "They are being made: publish it again once each is ready under “Publication files”."
                if waiting
                else "Choose “Make the publication files” under “Publication files”, then publish it again."
            )
        )


def publication_files_refusal(document: Document) -> list[DocumentRender]:
    """The ready publication files of the document as it will read once published, one per
    published format; PublicationFilesMissing naming each one not ready."""
    files = publication_files(document)
    missing = [file for file in files if not file.ready]
    if missing:
        raise PublicationFilesMissing(document, missing)
    return [file.row for file in files if file.row is not None]


def _filename(render: DocumentRender, publication: Publication) -> str:
    """ "NDHR-01-overview-published-2026-12-04-r12.pdf": the day it was published, and the render."""
    kind = render.document.kind.replace("_", "-")
    form = "slides" if render.format == DocumentRender.Format.SLIDES else ""
    day = f"{timezone.localdate(publication.published_at):%Y-%m-%d}"
    return download_filename(
        render.document.review.reference, kind, form, "published", day, f"r{render.pk}",
        ext=DocumentRender.file_type(render.format),
    )  # fmt: skip


def _who(user: User | None) -> str:
    return user.display_name if user is not None else "(account removed)"


def report_snapshot(report: PublicationReport) -> dict[str, Any]:
    """The publication report as it stands, to keep with the publication: people by designation
    and relationship only, the chair's decisions with who made them, when and why."""
    check, data = report.check, report.check.data
    return {
        "prepared_at": report.prepared_at.isoformat(),
        "document": {
            "reference": data.reference, "review_type": data.review_type_label, "case_name": data.case_name,
            "partnership": data.partnership, "kind": data.kind_label, "dated": data.dated.isoformat(),
        },
        "sections": [[number, title, version] for number, title, version in report.sections],
        "passed": check.passed,
        "replacements": [[row.group, row.designation, row.relationship, row.count] for row in report.replacements],
        "acknowledgements": [
            {"where": item.finding.where.label, "wording": item.finding.context,
             "found": f"{item.finding.kind} of {item.finding.designation}", "reason": item.decision.reason,
             "by": _who(item.decision.decided_by), "at": item.decision.decided_at.isoformat()}
            for item in check.acknowledgements
        ],
        "confirmations": [
            {"where": item.finding.where.label, "designation": item.finding.designation,
             "reason": item.decision.reason, "by": _who(item.decision.decided_by),
             "at": item.decision.decided_at.isoformat()}
            for item in check.confirmations
        ],
        "redactions": [
            {"where": decision.where, "reason": decision.reason, "by": _who(decision.decided_by),
             "at": decision.decided_at.isoformat()}
            for decision in check.redactions
        ],
    }  # fmt: skip


@transaction.atomic
def publication_freeze(
    *, document: Document, renders: list[DocumentRender], report: PublicationReport, actor: User
) -> Publication:
    """Keep the files the document is published with: each render's bytes copied as they are into
    a stored file of the publication's own (checked against their SHA-256 once stored), with its
    fingerprint and SHA-256, beside the publication report as it stands."""
    publication = Publication.objects.create(
        review=document.review, document=document, document_kind=document.kind, published_at=timezone.now(),
        published_by=actor, report=report_snapshot(report),
    )  # fmt: skip
    frozen = []
    for render in DocumentRender.objects.filter(pk__in=[row.pk for row in renders]).order_by("pk"):
        render.document = document
        data = file_bytes(render.file)
        sha256 = hashlib.sha256(data).hexdigest()
        name = file_store(PublishedArtefact, "file", data, ext=DocumentRender.file_type(render.format))
        frozen.append(
            PublishedArtefact(
                publication=publication,
                format=render.format,
                render=render,
                fingerprint=render.fingerprint,
                sha256=sha256,
                size=len(data),
                page_count=render.page_count,
                filename=_filename(render, publication),
                file=name,
            )  # fmt: skip
        )
        file_verify(frozen[-1].file, sha256=sha256, size=len(data))
    PublishedArtefact.objects.bulk_create(frozen)
    audit_record(
        actor=actor, action="document.publication_frozen", obj=publication, review=document.review,
        detail={"document": document.pk, "files": {a.filename: a.sha256 for a in frozen}},
    )  # fmt: skip
    return publication


@transaction.atomic
def publication_supersede(*, document: Document, reason: str, actor: User) -> Publication | None:
    """The document's publication in force, superseded (withdrawn) with the reason: its files
    stay, listed as superseded. None when there was none (published before files were kept)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why the publication is superseded: the reason is kept with its files.")
    publication = Publication.objects.select_for_update().filter(document=document, superseded_at__isnull=True).first()
    if publication is None:
        return None
    publication.superseded_at = timezone.now()
    publication.superseded_by = actor
    publication.superseded_reason = reason[:500]
    publication.save(update_fields=["superseded_at", "superseded_by", "superseded_reason"])
    audit_record(
        actor=actor, action="document.publication_superseded", obj=publication, review=document.review,
        detail={"document": document.pk, "reason": reason[:500]},
    )  # fmt: skip
    return publication
