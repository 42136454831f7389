from __future__ import annotations

from django.core.management.base import CommandError

from chronology.integrated import services as integrated
from chronology.models import IntegratedChronology
from chronology.tasks import integrated_build_task
from reviews.management.cli import ReviewCommand, review_by_reference


class Command(ReviewCommand):
    help = "Build a new version of a review's integrated chronology (the task the web uses) and summarise it."

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("--include-submitted", action="store_true", help="Also merge submitted chronologies")
        parser.add_argument("--partnership", help="Slug or name, when two partnerships use the same reference")

    def handle(self, *args, reference: str, include_submitted: bool, **options):
        review = review_by_reference(reference, options.get("partnership"))
        chronology = integrated.integrated_request(actor=None, review=review, include_submitted=include_submitted)
        # With a broker the web's workers build it; here the command waits for nothing and
        # runs the same task in this process.
        integrated_build_task.apply(args=(chronology.pk,))
        chronology.refresh_from_db()
        if chronology.status != IntegratedChronology.Status.READY:
            raise CommandError(f"building {review.reference} failed: {chronology.error or chronology.status}")
        counts = ", ".join(
            (
                _count(chronology.duplicate_count, "suggested duplicate", "suggested duplicates"),
                _count(chronology.conflict_count, "date conflict", "date conflicts"),
                _count(chronology.gap_count, "gap", "gaps"),
            )
        )
        self.stdout.write(
            f"{review.reference} integrated chronology v{chronology.version}: "
            f"{_count(chronology.entry_count, 'entry', 'entries')} from "
            f"{_count(len(chronology.agency_names), 'agency', 'agencies')}, {counts}"
        )
        for gap in chronology.gaps.all():
            self.stdout.write(f"gap: {gap.start:%d/%m/%Y} to {gap.end:%d/%m/%Y} ({gap.days} days)")


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
