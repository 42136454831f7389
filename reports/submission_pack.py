"""A review's submission pack: one zip of the files its quality-assurance recipient expects.

For a DHR (the Home Office panel): the publication versions of the overview report and the
executive summary as PDF, the action plan (PDF and XLSX), the review's key dates (CSV and PDF) and
a manifest (manifest.json and MANIFEST.txt) naming each file, what it is, its SHA-256 and the
version it was made from. A CSPR, rapid review or SCR goes to the national Child Safeguarding
Practice Review Panel and a SAR to the Safeguarding Adults Board, with the same kinds of file.

Everything goes through the one publication pipeline (reviews.publication): the documents are the
renders of reports.render_service (a ready one of the document as it stands is reused, else one is
made), the action plan is actions.plan_export's publication version, and the key dates and the
manifest are checked like every other publication file. Any other publication format of a
document (Word, web pages) goes in as well when a ready file of the document as it stands exists.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import time
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from actions.plan_export import review_plan_file
from casereview import jobs
from casereview.downloads import download_filename
from casereview.pdf import html_to_pdf
from casereview.spreadsheets import spreadsheet_safe
from casereview.storage import file_bytes, file_store
from reports import render_service
from reports.models import Document, DocumentRender
from reports.render import current_fingerprints
from reports.submission_models import SubmissionPack
from reviews import clocks
from reviews.models import Review
from reviews.publication import Publication, PublicationBlocked, Where, publication_for_review

RECIPIENTS: dict[str, str] = {
    Review.Type.DHR: "the Home Office quality assurance panel",
    Review.Type.CSPR: "the national Child Safeguarding Practice Review Panel",
    Review.Type.RAPID: "the national Child Safeguarding Practice Review Panel",
    Review.Type.SCR: "the national Child Safeguarding Practice Review Panel",
    Review.Type.SAR: "the Safeguarding Adults Board",
}
# The documents a pack must hold, by review type; an executive summary goes in whenever there is one.
REQUIRED: dict[str, tuple[str, ...]] = {Review.Type.DHR: (Document.Kind.OVERVIEW, Document.Kind.EXECUTIVE_SUMMARY)}
RENDERED = (Document.Kind.OVERVIEW, Document.Kind.EXECUTIVE_SUMMARY)
# How long the pack waits for a document's render another worker is making.
RENDER_PATIENCE = 600  # seconds
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "html": "zip"}


@dataclass(frozen=True)
class PackFile:
    name: str
    description: str
    source: str  # the version it was made from, in words
    data: bytes
    version: dict = field(default_factory=dict)  # the same, for machines: render, fingerprint, sections

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def recipient_for(review: Review) -> str:
    return RECIPIENTS.get(review.review_type, "the partnership's quality assurance panel")


def required_kinds(review: Review) -> tuple[str, ...]:
    return REQUIRED.get(review.review_type, (Document.Kind.OVERVIEW,))


# --- the documents ---------------------------------------------------------------------------


def _await_render(row: DocumentRender, run: jobs.JobRun | None) -> DocumentRender:
    """The render once it has ended: made here if no worker has taken it, else waited for."""
    if row.status == DocumentRender.Status.QUEUED:
        jobs.job_execute(DocumentRender, row.pk, render_service.render_make)
    waited = 0.0
    row.refresh_from_db(fields=["status", "error", "fingerprint", "revision"])
    while row.status in DocumentRender.ACTIVE and waited < RENDER_PATIENCE:
        time.sleep(2)
        waited += 2
        if run is not None:
            run.progress(20)  # a heartbeat while another worker makes it
        row.refresh_from_db(fields=["status", "error", "fingerprint", "revision"])
    return row


def _document_pdf(document: Document, *, actor, run: jobs.JobRun | None) -> PackFile:
    label = document.get_kind_display()
    try:
        row = render_service.render_request(actor=actor, document=document, fmt="pdf", publication=True)
    except ValidationError as exc:
        reason = " ".join(exc.messages)
        raise jobs.JobFailed(f"The {label.lower()} cannot be made as a publication version: {reason}") from exc
    row = _await_render(row, run)
    if row.status != DocumentRender.Status.READY:
        reason = row.error or "its render did not finish; try again"
        raise jobs.JobFailed(f"The {label.lower()} could not be made as a publication version. {reason}")
    return _render_file(document, row)


def _render_file(document: Document, row: DocumentRender) -> PackFile:
    # Read afresh: the file the render has now (the row handed in may be from before it was ready).
    fresh = DocumentRender.objects.filter(pk=row.pk).first()
    data = file_bytes(fresh.file) if fresh is not None else b""
    kind = document.kind.replace("_", "-")
    ext = EXTENSIONS.get(row.format, row.format)
    what = {"pdf": "PDF", "docx": "Word document", "html": "web pages (HTML in a zip)"}.get(row.format, row.format)
    revision = row.revision if isinstance(row.revision, dict) else {}
    sections = revision.get("sections") or []
    return PackFile(
        name=download_filename(document.review.reference, kind, "publication", ext=ext),
        description=f"{document.get_kind_display()}, publication version ({what})",
        source=f"{document.get_kind_display()} as {document.get_status_display().lower()}: {len(sections)} "
        f"sections at the versions listed in manifest.json, render {row.pk}, fingerprint {row.fingerprint[:16]}",
        data=data,
        version={"render": row.pk, "fingerprint": row.fingerprint, "status": document.status, "sections": sections},
    )


def _other_formats(document: Document) -> list[PackFile]:
    """Any other publication format of the document with a ready file of it as it stands."""
    current = current_fingerprints(document, publication=True)
    files = []
    for fmt in DocumentRender.Format.values:
        if fmt == DocumentRender.Format.PDF:
            continue
        row = (
            DocumentRender.objects.filter(
                document=document, publication=True, format=fmt, fingerprint=current.get(fmt, "")
            )
            .filter(status=DocumentRender.Status.READY)
            .order_by("-pk")
            .first()
        )
        if row is not None:
            files.append(_render_file(document, row))
    return files


def document_files(review: Review, *, actor, run: jobs.JobRun | None = None) -> list[PackFile]:
    documents = {document.kind: document for document in Document.objects.filter(review=review)}
    missing = [Document.Kind(kind).label.lower() for kind in required_kinds(review) if kind not in documents]
    if missing:
        raise jobs.JobFailed(
            f"A {review.get_review_type_display()} is submitted with its {' and '.join(missing)}: "
            "this review has none yet."
        )
    files: list[PackFile] = []
    for kind in RENDERED:
        if kind in documents:
            files.append(_document_pdf(documents[kind], actor=actor, run=run))
            files += _other_formats(documents[kind])
    return files


# --- the action plan and the key dates ---------------------------------------------------------


def action_plan_files(review: Review, *, today: datetime.date) -> list[PackFile]:
    files = []
    for fmt, what in (("pdf", "PDF"), ("xlsx", "spreadsheet")):
        try:
            plan = review_plan_file(review, fmt=fmt, names="designations", today=today)
        except PublicationBlocked as exc:
            raise jobs.JobFailed(f"The action plan cannot be published: {exc}") from exc
        files.append(
            PackFile(
                name=download_filename(review.reference, "action-plan", ext=fmt),
                description=f"Action plan, publication version ({what}, Home Office columns with status and RAG)",
                source=f"Action plan as at {today:%-d %B %Y}, {plan.rows} row{'s' if plan.rows != 1 else ''}",
                data=plan.data,
            )
        )
    return files


# One table for machines: the review's own dates (in "Date"), then each statutory milestone.
KEY_DATE_COLUMNS = [
    "Key date", "Date", "Rule", "Clock starts", "Statutory due date", "Due date", "Met on", "State", "Extensions",
]  # fmt: skip


@dataclass(frozen=True)
class MilestoneRow:
    label: str
    rule: str
    start: datetime.date | None
    statutory_due: datetime.date | None
    due: datetime.date | None
    met_on: datetime.date | None
    state: str
    extensions: list[tuple[datetime.date, str]]  # (extended to, reason as published)


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def review_dates(review: Review) -> list[tuple[str, datetime.date | None]]:
    return [
        ("Incident", review.incident_date),
        ("Notification", review.notification_date),
        ("Decision to review", review.decision_date),
        ("Review period start", review.scope_start),
        ("Review period end", review.scope_end),
    ]


def milestone_rows(review: Review, *, today: datetime.date, run: Publication) -> list[MilestoneRow]:
    """Each statutory milestone with its extensions, their reasons through the publication
    pipeline (a reason may name someone)."""
    rows = []
    for m in clocks.review_clock(review, today=today):
        where = Where(f"Key dates, {m.label}, extension", group="Key dates")
        extensions = [(extension.due_date, run.text(extension.reason, where)) for extension in m.extensions]
        rows.append(
            MilestoneRow(
                m.label, clocks.describe(m.rule), m.start, m.statutory_due, m.due, m.met_on, m.state_label, extensions
            )
        )
    return rows


def key_dates_csv(dates: list[tuple[str, datetime.date | None]], milestones: list[MilestoneRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(KEY_DATE_COLUMNS)
    rows = [[label, _day(day), "", "", "", "", "", "", ""] for label, day in dates]
    rows += [
        [
            m.label, "", m.rule, _day(m.start), _day(m.statutory_due), _day(m.due), _day(m.met_on), m.state,
            "; ".join(f"to {to.isoformat()}: {reason}" for to, reason in m.extensions),
        ]
        for m in milestones
    ]  # fmt: skip
    writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


def key_dates_files(review: Review, *, today: datetime.date, run: Publication) -> list[PackFile]:
    dates, milestones = review_dates(review), milestone_rows(review, today=today, run=run)
    if run.blocking:
        raise jobs.JobFailed(f"The key dates cannot be published: {PublicationBlocked(run.blocking)}")
    csv_data = key_dates_csv(dates, milestones)
    context = {
        "review": review, "dates": dates, "milestones": milestones, "today": today, "recipient": recipient_for(review),
    }  # fmt: skip
    pdf_data = html_to_pdf(render_to_string("reports/pdf/submission_key_dates.html", context)).data
    for fmt, data in (("csv", csv_data), ("pdf", pdf_data)):
        found = run.check_file(fmt, data, f"key dates {fmt.upper()} file")
        if found:
            raise jobs.JobFailed(f"The key dates cannot be published: {PublicationBlocked(found)}")
    source = f"The review's dates and statutory clocks as at {today:%-d %B %Y}"
    return [
        PackFile(
            download_filename(review.reference, "key-dates", ext=fmt),
            f"The review's key dates and statutory timescales ({fmt.upper()})",
            source,
            data,
        )
        for fmt, data in (("csv", csv_data), ("pdf", pdf_data))
    ]


# --- the manifest and the zip ------------------------------------------------------------------


def manifest_for(review: Review, files: list[PackFile], *, made_at: datetime.datetime, run: Publication) -> dict:
    return {
        "review": {
            "reference": review.reference,
            "type": review.review_type,
            "type_label": review.get_review_type_display(),
            "case_name": run.text(review.case_name, Where("Manifest, case name", group="Manifest")),
            "partnership": review.partnership.name,
        },
        "recipient": recipient_for(review),
        "made_at": made_at.isoformat(timespec="seconds"),
        "files": [
            {
                "name": f.name,
                "description": f.description,
                "sha256": f.sha256,
                "size": len(f.data),
                "source": f.source,
                **({"version": f.version} if f.version else {}),
            }
            for f in files
        ],
    }


def manifest_text(manifest: dict) -> str:
    review = manifest["review"]
    lines = [
        f"Submission pack: {review['reference']} ({review['type_label']}, {review['case_name']})",
        f"Partnership: {review['partnership']}",
        f"For: {manifest['recipient']}",
        f"Made: {manifest['made_at']}",
        "",
        f"{len(manifest['files'])} files (each file's SHA-256 is also in manifest.json):",
    ]
    for number, item in enumerate(manifest["files"], start=1):
        lines += [
            "",
            f"{number}. {item['name']}",
            f"   What it is: {item['description']}",
            f"   Made from: {item['source']}",
            f"   Size: {item['size']} bytes",
            f"   SHA-256: {item['sha256']}",
        ]
    return "\r\n".join(lines) + "\r\n"


def pack_zip(files: list[PackFile], manifest: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        entries = [(item.name, item.data) for item in files]
        entries += [
            ("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False).encode()),
            ("MANIFEST.txt", manifest_text(manifest).encode()),
        ]
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16  # readable when unpacked, as a download is
            archive.writestr(info, data)
    return buffer.getvalue()


def pack_build(review: Review, *, actor, run: jobs.JobRun | None = None) -> tuple[bytes, dict]:
    """The zip and its manifest, or ``JobFailed`` saying which file cannot be made and why."""
    today = timezone.localdate()
    files = document_files(review, actor=actor, run=run)
    if run is not None:
        run.progress(60)
    files += action_plan_files(review, today=today)
    publication = publication_for_review(review)
    files += key_dates_files(review, today=today, run=publication)
    manifest = manifest_for(review, files, made_at=timezone.now(), run=publication)
    # MANIFEST.txt says what manifest.json says, in its own words: both are checked as written.
    publication.check(manifest_text(manifest), Where("Submission pack, MANIFEST.txt", "pack:manifest.txt"))
    found = publication.blocking or publication.check_file("json", json.dumps(manifest).encode(), "manifest")
    if found:
        raise jobs.JobFailed(f"The manifest cannot be published: {PublicationBlocked(found)}")
    if run is not None:
        run.progress(90)
    return pack_zip(files, manifest), manifest


def pack_make(pack: SubmissionPack, run: jobs.JobRun) -> dict:
    """Make a claimed pack (the job's work): the zip, checked, stored, then its name, manifest and
    SHA-256 written with the ready status in one UPDATE."""
    pack = SubmissionPack.objects.select_related("review__partnership", "requested_by").get(pk=pack.pk)
    data, manifest = pack_build(pack.review, actor=pack.requested_by, run=run)
    name = file_store(SubmissionPack, "file", data, ext="zip")
    return {"file": name, "manifest": manifest, "sha256": hashlib.sha256(data).hexdigest()}
