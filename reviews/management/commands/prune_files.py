from __future__ import annotations

from django.core.management.base import BaseCommand

from casereview.pruning import files_prune, prune_lines


class Command(BaseCommand):
    help = (
        "Free generated and uploaded files replaced or finished longer ago than their limit "
        "(PRUNE_*_AFTER_DAYS): superseded renders, exports, uploads, submission packs and chronology versions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="say what would be freed and change nothing")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        for line in prune_lines(files_prune(dry_run=dry_run), dry_run=dry_run):
            self.stdout.write(line)
