from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from casereview.storage import file_bytes
from reports import render_service
from reports.models import Document, DocumentRender
from reports.tasks import render_document_task
from reviews.management.cli import ReviewCommand, output_write, review_by_reference, validation_message

KINDS = {
    "overview": Document.Kind.OVERVIEW,
    "executive-summary": Document.Kind.EXECUTIVE_SUMMARY,
    "briefing": Document.Kind.LEARNING_BRIEFING,
}
# A learning briefing's two PDF forms: "handout" is its PDF (A4, two pages), "slides" its 16:9 slides.
HANDOUT = "handout"


class Command(ReviewCommand):
    help = (
        "Render a review's overview report, executive summary or learning briefing to PDF or Word (the task the "
        "web uses); a briefing's PDF is its A4 handout (--format pdf or handout) or its slides (--format slides)."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("document", choices=sorted(KINDS))
        parser.add_argument("--format", dest="fmt", required=True, choices=[*DocumentRender.Format.values, HANDOUT])
        parser.add_argument("--output", required=True, help="The file to write")
        parser.add_argument(
            "--publication", action="store_true", help="The publication version; runs the publication check first"
        )
        parser.add_argument("--partnership", help="Slug or name, when two partnerships use the same reference")

    def handle(self, *args, reference: str, document: str, fmt: str, output: str, publication: bool, **options):
        review = review_by_reference(reference, options.get("partnership"))
        found = Document.objects.filter(review=review, kind=KINDS[document]).select_related("review__partnership")
        doc = found.first()
        if doc is None:
            raise CommandError(f"{review.reference} has no {KINDS[document].label.lower()} yet")
        if fmt == HANDOUT:
            if doc.kind != Document.Kind.LEARNING_BRIEFING:
                raise CommandError("--format handout is a learning briefing's: use pdf for this document")
            fmt = DocumentRender.Format.PDF
        try:
            row = render_service.render_request(actor=None, document=doc, fmt=fmt, publication=publication)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        if row.status != DocumentRender.Status.READY:
            # With a broker the web's workers render it; here the command runs the same task in
            # this process (a worker that took it first makes this a no-op, and it is read back).
            render_document_task.apply(args=(row.pk,))
            row.refresh_from_db()
        if row.status != DocumentRender.Status.READY:
            reason = " ".join((row.error or row.get_status_display()).split())
            raise CommandError(f"rendering {review.reference} {document} failed: {reason}")
        output_write(output, file_bytes(row.file))
        pages = f", {row.page_count} pages" if row.page_count else ""
        version = "publication" if publication else "panel"
        self.stdout.write(f"{review.reference} {document} ({version} version) written to {output}{pages}")
