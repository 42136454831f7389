from __future__ import annotations

from django.core.management.base import CommandError
from django.utils import timezone

from actions import exports, selectors
from reviews.audit import audit_record
from reviews.management.cli import ReviewCommand, output_write, review_by_reference


class Command(ReviewCommand):
    help = "Export a review's action plan in the Home Office columns plus status and RAG."

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("--format", required=True, dest="fmt", help="xlsx or pdf")
        parser.add_argument("--output", required=True, help="The file to write")
        parser.add_argument("--partnership", help="Slug or name, when two partnerships use the same reference")

    def handle(self, *args, reference: str, fmt: str, output: str, **options):
        fmt = fmt.lower()
        if fmt not in ("xlsx", "pdf"):
            raise CommandError(f'--format: "{fmt}" is not an action plan format (use xlsx or pdf)')
        review = review_by_reference(reference, options.get("partnership"))
        plan = selectors.review_plan_export(review, today=timezone.localdate())
        data, _content_type = exports.plan_render(plan, fmt)
        output_write(output, data)
        audit_record(
            actor=None,
            action="action_plan.exported",
            obj=review,
            detail={"format": fmt, "by": "command line"},
        )
        count = len(plan.rows)
        self.stdout.write(
            f"Wrote {review.reference} action plan ({count} action{'s' if count != 1 else ''}) to {output}"
        )
