from __future__ import annotations

from django.core.management.base import CommandError

from chronology.exports.services import render_export
from chronology.models import IntegratedChronology
from reviews.audit import audit_record
from reviews.management.cli import ReviewCommand, output_write, review_by_reference
from reviews.publication import PublicationBlocked


class Command(ReviewCommand):
    help = "Export a review's latest integrated chronology (build it first with build_chronology)."

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("--format", required=True, dest="fmt", help="json, csv, xlsx or pdf")
        parser.add_argument("--output", required=True, help="The file to write")
        parser.add_argument("--names", default="designations", help="designations (default) or real")
        parser.add_argument(
            "--chronology-version", dest="chronology_version", type=int, help="A version other than the latest"
        )
        parser.add_argument("--partnership", help="Slug or name, when two partnerships use the same reference")

    def handle(self, *args, reference: str, fmt: str, output: str, names: str, chronology_version, **options):
        fmt, names = fmt.lower(), names.lower()
        if fmt not in ("json", "csv", "xlsx", "pdf"):
            raise CommandError(f'--format: "{fmt}" is not an export format (use json, csv, xlsx or pdf)')
        if names not in ("designations", "real"):
            raise CommandError(f'--names: "{names}" must be designations or real')
        review = review_by_reference(reference, options.get("partnership"))
        chronologies = review.integrated_chronologies.filter(status=IntegratedChronology.Status.READY)
        if chronology_version:
            chronologies = chronologies.filter(version=chronology_version)
        chronology = chronologies.order_by("-version").first()
        if chronology is None:
            raise CommandError(f"{review.reference} has no built integrated chronology: run build_chronology first")
        try:
            data = render_export(chronology, fmt=fmt, names=names)
        except PublicationBlocked as exc:
            raise CommandError(f"{review.reference}: {exc}. Nothing was written to {output}.") from None
        output_write(output, data)
        audit_record(
            actor=None,
            action="chronology.exported",
            obj=chronology,
            review=review,
            object_repr=f"Integrated chronology v{chronology.version} as {fmt.upper()}",
            detail={"format": fmt, "names": names, "by": "command line"},
        )
        self.stdout.write(
            f"Wrote {review.reference} integrated chronology v{chronology.version} ({chronology.entry_count} entries, "
            f"{'real names: contains personal data' if names == 'real' else 'designations'}) to {output}"
        )
