"""What the review commands share: one-line errors, date parsing and finding a review."""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from reviews.models import Partnership, Review


class OneLineParser(CommandParser):
    """Argument errors as one line on stderr with exit status 2, not a usage screen."""

    def error(self, message: str) -> NoReturn:
        if self.called_from_command_line:
            sys.stderr.write(f"{self.prog}: {message}\n")
            sys.exit(2)
        raise CommandError(f"Error: {message}")


class ReviewCommand(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a CommandParser and offers no hook for its class; only error() differs.
        parser.__class__ = OneLineParser
        return parser


def parse_date(value: str, *, option: str) -> datetime.date:
    """A date given on the command line: ISO (2012-08-09) or UK day-first (09/08/2012)."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise CommandError(f'{option}: "{value}" is not a date (use YYYY-MM-DD or DD/MM/YYYY)')


def validation_message(exc: ValidationError) -> str:
    """A service's validation error as one line."""
    if hasattr(exc, "error_dict"):
        return "; ".join(" ".join(messages) for messages in exc.message_dict.values())
    return " ".join(exc.messages)


def review_by_reference(reference: str, partnership: str | None) -> Review:
    reviews = Review.objects.filter(reference__iexact=reference).select_related("partnership")
    if partnership:
        reviews = reviews.filter(partnership__in=partnership_lookup(partnership))
    found = list(reviews[:2])
    if not found:
        raise CommandError(f'no review with reference "{reference}"')
    if len(found) > 1:
        raise CommandError(f'several partnerships have a review "{reference}"; name one with --partnership')
    return found[0]


def partnership_lookup(value: str):
    return Partnership.objects.filter(slug=value) | Partnership.objects.filter(name__iexact=value)


def output_write(output: str, data: bytes) -> None:
    """Write a command's file beside the target and rename it over it, so a reader never sees
    half a file; a path that cannot be written is a CommandError naming it."""
    path = Path(output)
    directory = path.resolve().parent
    if not directory.is_dir():
        raise CommandError(f"{output}: no such directory")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise CommandError(f"{output}: {exc.strerror}") from exc
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CommandError(f"{output}: {exc.strerror}") from exc
        raise
