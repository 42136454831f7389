from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from reports.docx_import_service import MAX_UPLOAD_BYTES, ImportPlan, import_apply, import_plan
from reports.models import Document
from reviews.management.cli import ReviewCommand, review_by_reference, validation_message

KINDS = {"overview": Document.Kind.OVERVIEW, "executive-summary": Document.Kind.EXECUTIVE_SUMMARY}


class Command(ReviewCommand):
    help = (
        "Import a Word draft (.docx) into a review's overview report or executive summary: its Heading 1s become "
        "sections (matched to the document's sections by title). Without --replace it prints the changes and "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("document", choices=sorted(KINDS))
        parser.add_argument("file", help="The Word file (.docx)")
        parser.add_argument("--replace", action="store_true", help="Replace the sections' text with the file's")
        parser.add_argument("--partnership", help="Slug or name, when two partnerships use the same reference")

    def handle(self, *args, reference: str, document: str, file: str, replace: bool, **options):
        review = review_by_reference(reference, options.get("partnership"))
        doc = Document.objects.filter(review=review, kind=KINDS[document]).select_related("review__partnership").first()
        if doc is None:
            raise CommandError(f"{review.reference} has no {KINDS[document].label.lower()} yet")
        path = Path(file)
        try:
            if path.stat().st_size > MAX_UPLOAD_BYTES:
                limit = MAX_UPLOAD_BYTES // 1024 // 1024
                raise CommandError(f"{file}: larger than {limit} MB, the most a Word file to import may be")
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        try:
            plan = import_plan(doc, data, name=path.name)
            if replace:
                written = import_apply(document=doc, items=plan.items, actor=None, filename=path.name)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self._summary(plan)
        if replace:
            self.stdout.write(f"{review.reference} {document}: {len(written)} section(s) saved from {path.name}")
        else:
            self.stdout.write("Nothing changed: run again with --replace to save these changes.")

    def _summary(self, plan: ImportPlan) -> None:
        for item in plan.items:
            if item.section is None:
                self.stdout.write(f"+ {item.title}: new section")
                continue
            rows = plan.rows(item)
            counts = {kind: sum(1 for row in rows if row.change == kind) for kind in ("changed", "added", "removed")}
            if not any(counts.values()):
                self.stdout.write(f"= {item.title}: unchanged")
            else:
                what = ", ".join(f"{count} paragraph(s) {kind}" for kind, count in counts.items() if count)
                self.stdout.write(f"~ {item.title}: {what}")
        for title in plan.untouched:
            self.stdout.write(f"  {title}: not in the file, left as it is")
        for what, where, count in plan.not_kept:
            self.stdout.write(f"Not kept: {count} {what} in {where}")
        for label in plan.skipped:
            self.stdout.write(f"Not imported: {label}")
        for note in plan.notes:
            self.stdout.write(note)
