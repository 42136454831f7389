from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from reviews import selectors, services
from reviews.management.cli import ReviewCommand, parse_date, review_by_reference, validation_message
from reviews.models import Person


class Command(ReviewCommand):
    help = "Add a person to a review's person register."

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("real_name")
        parser.add_argument("--designation", required=True, help='How published documents name them, e.g. "the victim"')
        parser.add_argument(
            "--alias", action="append", default=[], help="Another name they are recorded under; repeatable"
        )
        parser.add_argument(
            "--always",
            action="append",
            default=[],
            help="A name or alias that is also an English word but always means this person; repeatable",
        )
        parser.add_argument("--dob", help="Date of birth, YYYY-MM-DD or DD/MM/YYYY")
        parser.add_argument(
            "--relationship", default=Person.Relationship.OTHER, help=", ".join(Person.Relationship.values)
        )
        parser.add_argument("--partnership", help="Slug or name, when two partnerships use the same reference")

    def handle(self, *args, reference: str, real_name: str, designation: str, alias: list[str], **options):
        review = review_by_reference(reference, options.get("partnership"))
        dob = parse_date(options["dob"], option="--dob") if options.get("dob") else None
        relationship = options["relationship"].strip().lower().replace(" ", "_").replace("-", "_")
        try:
            person = services.person_add(
                actor=None,
                review=review,
                real_name=real_name,
                designation=designation,
                aliases=alias,
                date_of_birth=dob,
                relationship=relationship,
                confirmed_names=options["always"],
            )
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        self.stdout.write(f"Added {person.designation} to the person register of {review.reference}")
        # Warnings, not errors: the person is registered and the command succeeds.
        for warning in selectors.person_warnings(person):
            self.stderr.write(f"Warning: {warning}")
