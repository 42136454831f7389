from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from reviews import review_services, services
from reviews.management.cli import ReviewCommand, parse_date, partnership_lookup, validation_message
from reviews.models import Partnership, Review

DEFAULT_PARTNERSHIP = "Local safeguarding partnership"
# The kind of partnership that commissions each type of review, for one created here.
PARTNERSHIP_KIND_FOR_TYPE: dict[str, str] = {
    Review.Type.DHR: Partnership.Kind.COMMUNITY_SAFETY,
    Review.Type.CSPR: Partnership.Kind.CHILDREN,
    Review.Type.RAPID: Partnership.Kind.CHILDREN,
    Review.Type.SCR: Partnership.Kind.CHILDREN,
    Review.Type.SAR: Partnership.Kind.ADULTS,
}


class Command(ReviewCommand):
    help = "Open a review. Prints its reference and id."

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("--type", required=True, dest="review_type", help="dhr, cspr, rapid, sar or scr")
        parser.add_argument("--title", required=True, help='The case name, for example "Family B".')
        parser.add_argument("--scope-start", required=True, help="Start of the review period")
        parser.add_argument("--scope-end", required=True, help="End of the review period")
        parser.add_argument(
            "--partnership",
            help="Slug or name; created if new. Optional when the installation has one partnership.",
        )

    def handle(self, *args, reference: str, review_type: str, title: str, scope_start: str, scope_end: str, **options):
        review_type = review_type.strip().lower()
        if review_type not in Review.Type.values:
            raise CommandError(
                f'--type: "{review_type}" is not a review type (use one of {", ".join(Review.Type.values)})'
            )
        start = parse_date(scope_start, option="--scope-start")
        end = parse_date(scope_end, option="--scope-end")
        if end < start:
            raise CommandError(
                f"--scope-end: the review period ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y})"
            )
        try:
            with transaction.atomic():
                partnership = self._partnership(options.get("partnership"), review_type)
                review = review_services.review_create(
                    actor=None,
                    partnership=partnership,
                    reference=reference,
                    review_type=review_type,
                    case_name=title,
                    scope_start=start,
                    scope_end=end,
                )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self.stdout.write(f"Opened review {review.reference} (id {review.pk}) in {partnership.name}")

    def _partnership(self, value: str | None, review_type: str) -> Partnership:
        kind = PARTNERSHIP_KIND_FOR_TYPE[review_type]
        if value:
            found = partnership_lookup(value).first()
            if found:
                return found
            return services.partnership_create(actor=None, name=value, kind=kind)
        partnerships = list(Partnership.objects.all()[:2])
        if len(partnerships) == 1:
            return partnerships[0]
        if partnerships:
            raise CommandError("several partnerships exist; name one with --partnership")
        return services.partnership_create(actor=None, name=DEFAULT_PARTNERSHIP, kind=kind)
