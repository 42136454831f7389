from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from reports.render_html import bundle_unzip
from reports.web_pages import review_web_pages
from reviews.management.cli import ReviewCommand, output_write, review_by_reference, validation_message
from reviews.publication import PublicationBlocked


class Command(ReviewCommand):
    help = (
        "Write a review's documents as web pages for a partnership's website: the publication version of "
        "every document, checked for names first (a folder with --output, or a zip with --zip)."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference")
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--output", help="A folder to write the pages into (made if missing; must be empty)")
        target.add_argument("--zip", dest="zip_path", help="The zip file to write")
        parser.add_argument("--partnership", help="Slug or name, when two partnerships use the same reference")

    def handle(self, *args, reference: str, output: str | None, zip_path: str | None, **options):
        review = review_by_reference(reference, options.get("partnership"))
        try:
            content = review_web_pages(review=review, actor=None)
        except PublicationBlocked as exc:
            raise CommandError(f"{review.reference}: the publication check failed: {exc}") from exc
        except ValidationError as exc:
            raise CommandError(f"{review.reference}: {validation_message(exc)}") from exc
        if zip_path:
            output_write(zip_path, content)
            self.stdout.write(f"{review.reference} web pages written to {zip_path}")
            return
        files = bundle_unzip(content)
        _write_folder(Path(output or ""), files)
        self.stdout.write(f"{review.reference} web pages ({len(files)} files) written to {output}")


def _write_folder(folder: Path, files: dict[str, bytes]) -> None:
    """The files written into a folder made beside the target and renamed to it, so a reader
    never sees half the pages; an existing folder must be empty (nothing of another review's
    is mixed in or overwritten)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CommandError(f"{folder}: exists and is not an empty folder")
    parent = folder.resolve().parent
    if not parent.is_dir():
        raise CommandError(f"{folder}: no such directory {parent}")
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{folder.name}."))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server reads it
    try:
        for name, data in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        if folder.exists():
            folder.rmdir()
        staging.rename(folder)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise CommandError(f"{folder}: {exc.strerror}") from exc
