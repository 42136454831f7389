"""A document's publication check and its publication report (PRODUCT.md section 4).

The check is the run a publication render makes (reports.render.render_input through the one
publication pipeline, reviews.publication), read together with the chair's decisions: the
publication preview shows it, a move to Published requires it to pass, the chair acknowledges
its findings against it, and the publication report records it. One place, so none of them
can disagree with another or with the files.

Reads only: the decisions themselves are written by reviews.publication_services.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone

from reports.models import Document, DocumentRender
from reports.render import RenderInput, current_fingerprints, render_input
from reviews.labels import protective_marking
from reviews.models import PublicationDecision
from reviews.publication import Finding, Publication, publication_for_review
from reviews.publication_services import can_acknowledge, can_confirm_person, can_redact_entry_field, decision_fields

SHOWN = 5  # findings named in a refusal to publish


@dataclass(frozen=True)
class Acknowledgement:
    """A finding the chair acknowledged as not identifying, and who did, when and why."""

    finding: Finding
    decision: PublicationDecision


@dataclass(frozen=True)
class FindingRow:
    """A blocking finding as the preview lists it."""

    finding: Finding
    earlier: PublicationDecision | None  # acknowledged once, on wording that has changed since

    @property
    def can_acknowledge(self) -> bool:
        return can_acknowledge(self.finding)

    @property
    def can_confirm_person(self) -> bool:
        """A name the pipeline writes out itself (a footnote, a title, a table): replaced on the
        chair's word. A paragraph is changed in the editor."""
        return can_confirm_person(self.finding)

    @property
    def can_redact(self) -> bool:
        """A field of an agency's chronology entry (cited as a footnote) can be redacted here."""
        return can_redact_entry_field(self.finding)


@dataclass
class PublicationCheck:
    document: Document
    data: RenderInput
    decisions: list[PublicationDecision]

    @property
    def run(self) -> Publication:
        assert self.data.composed.run is not None  # a publication version always has its run
        return self.data.composed.run

    @property
    def blocking(self) -> list[Finding]:
        return self.run.blocking

    @property
    def unresolved(self) -> list[str]:
        return self.data.composed.unresolved_references

    @property
    def passed(self) -> bool:
        return not self.blocking and not self.unresolved

    def finding(self, key: str) -> Finding | None:
        """The blocking finding with this key in the document as it stands, if it is still there."""
        if not key:
            return None
        return next((finding for finding in self.blocking if finding.key == key), None)

    def problems(self, limit: int = SHOWN) -> list[str]:
        messages = [finding.message() for finding in self.blocking]
        messages += [f"{reference}: the reference points at nothing" for reference in self.unresolved]
        if len(messages) > limit:
            return [*messages[:limit], f"and {len(messages) - limit} more"]
        return messages

    @property
    def acknowledgements(self) -> list[Acknowledgement]:
        """The acknowledgements in force in this document: each matches a finding in its text
        as it stands (one whose paragraph has changed since matches nothing: it has lapsed)."""
        rows = {decision.pk: decision for decision in self.decisions}
        out: dict[int, Acknowledgement] = {}
        for finding in self.run.acknowledged:
            pk = finding.acknowledged.pk if finding.acknowledged else None
            if pk in rows and pk not in out:
                out[pk] = Acknowledgement(finding, rows[pk])
        return list(out.values())

    @property
    def confirmations(self) -> list[Acknowledgement]:
        """The names the chair confirmed as the person in this document, replaced by designations."""
        rows = {decision.pk: decision for decision in self.decisions}
        out: dict[int, Acknowledgement] = {}
        for finding in self.run.confirmed:
            pk = finding.acknowledged.pk if finding.acknowledged else None
            if pk in rows and pk not in out:
                out[pk] = Acknowledgement(finding, rows[pk])
        return list(out.values())

    @property
    def redactions(self) -> list[PublicationDecision]:
        """Agency entries' fields redacted in every publication output of the review."""
        return [decision for decision in self.decisions if decision.kind == PublicationDecision.Kind.REDACT]

    @property
    def rows(self) -> list[FindingRow]:
        """The blocking findings, each with the acknowledgement it had before its wording changed
        (if any): the chair looks again rather than wondering why the finding came back."""
        earlier = {
            (decision.scope, decision.term_key, decision.occurrence): decision
            for decision in self.decisions
            if decision.kind == PublicationDecision.Kind.ACKNOWLEDGE
        }
        rows = []
        for finding in self.blocking:
            lapsed = None
            if finding.key:
                fields = decision_fields(finding)
                lapsed = earlier.get((fields["scope"], fields["term_key"], fields["occurrence"]))
            rows.append(FindingRow(finding, lapsed))
        return rows


def publication_check(document: Document) -> PublicationCheck:
    """The document's publication version as a render makes it, with the review's decisions."""
    run = publication_for_review(document.review)
    decisions = list(PublicationDecision.objects.filter(review=document.review).select_related("decided_by"))
    return PublicationCheck(document, render_input(document, publication=True, run=run), decisions)


# --- the publication report -----------------------------------------------------------------


@dataclass(frozen=True)
class ReplacementRow:
    group: str  # "3. Background", "Footnotes", "Recommendations"
    designation: str
    relationship: str  # "Victim", never the real name
    count: int


@dataclass(frozen=True)
class FileCheck:
    """A publication file of the document as it stands, and what its own check found."""

    render: DocumentRender
    passed: bool


@dataclass
class PublicationReport:
    check: PublicationCheck
    prepared_at: datetime.datetime
    sections: list[tuple[int, str, int]]  # (number, title, version)
    replacements: list[ReplacementRow]
    files: list[FileCheck]
    unchecked: list[str] = field(default_factory=list)  # format labels no current file has checked

    @property
    def document(self) -> Document:
        return self.check.document

    @property
    def files_passed(self) -> bool:
        return not self.unchecked and all(file.passed for file in self.files)

    @property
    def marking(self) -> str:
        """Marked whenever it is made: it quotes the wording around each finding acknowledged as
        not identifying, so it holds text as typed even once the document is published."""
        return protective_marking(published=self.document.status == Document.Status.PUBLISHED, personal_data=True)


def _replacements(check: PublicationCheck) -> list[ReplacementRow]:
    relationships: dict[str, set[str]] = {}
    for person in check.document.review.people.all():
        relationships.setdefault(person.designation.strip(), set()).add(person.get_relationship_display())
    return [
        ReplacementRow(group, designation, ", ".join(sorted(relationships.get(designation, ()))), count)
        for (group, designation), count in check.run.replacements.items()
    ]


def _files(document: Document) -> tuple[list[FileCheck], list[str]]:
    """The newest ready and failed publication file of each format made from the document as
    it stands (a superseded one checked another revision), and the formats none has checked."""
    rows = DocumentRender.objects.filter(
        document=document,
        publication=True,
        status__in=[DocumentRender.Status.READY, DocumentRender.Status.FAILED],
    )
    files: list[FileCheck] = []
    checked: set[str] = set()
    current = current_fingerprints(document, publication=True)
    formats = DocumentRender.formats_for(document.kind)
    for fmt, _label in formats:
        for status in (DocumentRender.Status.READY, DocumentRender.Status.FAILED):
            row = rows.filter(format=fmt, fingerprint=current[fmt], status=status).order_by("-pk").first()
            if row is not None:
                row.document = document
                files.append(FileCheck(row, passed=status == DocumentRender.Status.READY))
                checked.add(fmt)
    unchecked = [label for fmt, label in formats if fmt not in checked]
    return files, unchecked


def publication_report(document: Document) -> PublicationReport:
    check = publication_check(document)
    files, unchecked = _files(document)
    return PublicationReport(
        check=check,
        prepared_at=timezone.now(),
        sections=[
            (number, title, version)
            for number, (title, version) in enumerate(
                document.sections.order_by("position", "pk").values_list("title", "version"), start=1
            )
        ],
        replacements=_replacements(check),
        files=files,
        unchecked=unchecked,
    )


def publication_report_html(report: PublicationReport) -> str:
    """The print HTML of the publication report, for casereview.pdf.html_to_pdf."""
    return render_to_string("reports/pdf/publication_report.html", {"report": report, "check": report.check})
