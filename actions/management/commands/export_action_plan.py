from __future__ import annotations

from django.core.management.base import CommandError
from django.utils import timezone

from actions import plan_export
from reviews.audit import audit_record
from reviews.management.cli import ReviewCommand, output_write, review_by_reference
from reviews.publication import PublicationBlocked


class Command(ReviewCommand):
    help = "Export a review's action plan in the Home Office columns plus status and RAG."

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("--format", required=True, dest="fmt", help="xlsx or pdf")
        parser.add_argument("--output", required=True, help="The file to write")
        parser.add_argument(
            "--names", default="designations", help="designations (default: the publication version) or real"
        )
        parser.add_argument("--partnership", help="Slug or name, when two partnerships use the same reference")

    def handle(self, *args, reference: str, fmt: str, output: str, names: str, **options):
        fmt, names = fmt.lower(), names.lower()
        if fmt not in ("xlsx", "pdf"):
            raise CommandError(f'--format: "{fmt}" is not an action plan format (use xlsx or pdf)')
        if names not in plan_export.NAMES:
            raise CommandError(f'--names: "{names}" must be designations or real')
        review = review_by_reference(reference, options.get("partnership"))
        try:
            plan = plan_export.review_plan_file(review, fmt=fmt, names=names, today=timezone.localdate())
        except PublicationBlocked as exc:
            raise CommandError(f"{review.reference}: {exc}. Nothing was written to {output}.") from None
        output_write(output, plan.data)
        audit_record(
            actor=None,
            action="action_plan.exported",
            obj=review,
            detail={"format": fmt, "names": names, "by": "command line"},
        )
        count = plan.rows
        version = "real names: contains personal data" if names == "real" else "designations"
        self.stdout.write(
            f"Wrote {review.reference} action plan ({count} action{'s' if count != 1 else ''}, {version}) to {output}"
        )
