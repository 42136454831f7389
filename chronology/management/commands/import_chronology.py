from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from chronology import services
from chronology.importers import FileRefused, parse_chronology_file
from reviews import services as review_services
from reviews.imr_services import imr_accept_received
from reviews.management.cli import ReviewCommand, review_by_reference, validation_message
from reviews.models import Agency, Imr

# Administrators may import larger files than the browser accepts.
COMMAND_MAX_BYTES = 100 * 1024 * 1024


class Command(ReviewCommand):
    help = (
        "Import an agency's chronology from a CSV or XLSX file, creating the agency and its IMR if new. "
        "Any invalid row means nothing is imported and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("agency", help="The agency's name in the partnership directory")
        parser.add_argument("file")
        parser.add_argument("--accept", action="store_true", help="Also mark the agency's chronology accepted")
        parser.add_argument("--sheet", default="", help="The sheet to read from a workbook with several")
        parser.add_argument("--partnership", help="Slug or name, when two partnerships use the same reference")

    def handle(self, *args, reference: str, agency: str, file: str, accept: bool, sheet: str, **options):
        review = review_by_reference(reference, options.get("partnership"))
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            result = parse_chronology_file(
                path.read_bytes(), filename=path.name, sheet=sheet or None, max_bytes=COMMAND_MAX_BYTES
            )
        except FileRefused as exc:
            raise CommandError(f"{file}: {exc}") from exc
        if result.errors:
            for issue in result.errors:
                sys.stderr.write(f"{path.name}: {issue}\n")
            raise CommandError(
                f"{path.name}: {len(result.errors)} problem{'s' if len(result.errors) != 1 else ''}; nothing imported"
            )
        for issue in result.warnings:
            self.stdout.write(f"warning: {issue}")
        try:
            with transaction.atomic():
                imr = self._imr(review, agency.strip())
                replaced = imr.entries.count()
                count = services.chronology_import(actor=None, imr=imr, result=result, replace=True)
                if accept:
                    imr_accept_received(actor=None, imr=imr)
        except ValidationError as exc:
            raise CommandError(validation_message(exc)) from exc
        replaced_note = f", replacing {replaced}" if replaced else ""
        accepted_note = "; accepted" if accept else ""
        self.stdout.write(
            f"Imported {count} entries for {imr.agency.name} into {review.reference}{replaced_note}{accepted_note}"
        )

    def _imr(self, review, agency_name: str) -> Imr:
        agency = Agency.objects.filter(partnership=review.partnership, name__iexact=agency_name).first()
        if agency is None:
            agency = review_services.agency_create(actor=None, partnership=review.partnership, name=agency_name)
        imr = Imr.objects.filter(review=review, agency=agency).first()
        if imr is None:
            imr = review_services.imr_request(actor=None, review=review, agency=agency, due_date=None)
        return imr
