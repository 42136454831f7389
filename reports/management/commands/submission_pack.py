from __future__ import annotations

from django.core.management.base import CommandError

from casereview.storage import file_bytes
from reports import submission_services
from reports.models import SubmissionPack
from reports.tasks import submission_pack_task
from reviews.management.cli import ReviewCommand, output_write, review_by_reference


class Command(ReviewCommand):
    help = (
        "Make a review's submission pack (a zip of the publication versions, the action plan, the key dates "
        "and a manifest, for the Home Office or the national panel): the job the web uses."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference")
        parser.add_argument("--output", required=True, help="The zip file to write")
        parser.add_argument("--partnership", help="Slug or name, when two partnerships use the same reference")

    def handle(self, *args, reference: str, output: str, **options):
        review = review_by_reference(reference, options.get("partnership"))
        pack = submission_services.submission_pack_request(actor=None, review=review)
        if pack.status != SubmissionPack.Status.READY:
            # With a broker the web's workers make it; here the command runs the same task in this
            # process (a worker that took it first makes this a no-op, and it is read back).
            submission_pack_task.apply(args=(pack.pk,))
            pack.refresh_from_db()
        if pack.status != SubmissionPack.Status.READY:
            reason = " ".join((pack.error or pack.get_status_display()).split())
            raise CommandError(f"the submission pack of {review.reference} failed: {reason}")
        output_write(output, file_bytes(pack.file))
        self.stdout.write(
            f"{review.reference} submission pack written to {output}: {len(pack.files)} files and a manifest"
        )
        for item in pack.files:
            self.stdout.write(f"  {item['name']}  {item['sha256']}")
