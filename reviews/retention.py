"""Retention and erasure. A finished review is archived (read-only) with the date until which
its personal data is kept; after that date the personal data is purged, and the review keeps
only what the board must go on holding: its outline (reference, type, dates), its IMRs'
statuses and dates, its action plan (without evidence files), and its audit trail with a
record of the purge."""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from actions.models import Evidence
from chronology.models import (
    ChronologyEntry,
    ChronologyUpload,
    Clarification,
    IntegratedChronology,
    KeyEpisode,
    LinkDecision,
)
from reports.models import Document, FamilyReader, FamilyResponse
from reports.submission_models import SubmissionCheckMark, SubmissionFeedback, SubmissionPack
from reviews.audit import audit_record
from reviews.family_models import FamilyContact, FamilyOffer, FamilyPseudonym
from reviews.meeting_models import ActionArising, AgendaItem, PanelMeeting
from reviews.models import (
    AuditEntry,
    Imr,
    ImrAnswer,
    ImrRecommendation,
    ImrSnapshot,
    KeyLineOfEnquiry,
    Notification,
    Person,
    PublicationDecision,
    Review,
)
from reviews.scoping_models import ScopingInformation, ScopingRecord

logger = logging.getLogger(__name__)

# What a text that must stay filled in holds once the purge has taken its words.
PURGED_TEXT = "Removed when the review's personal data was purged."

# Audit entries about these kept their subject's words (a removed section's text, a changed
# name); a purge keeps who did what and when, and drops the words.
_AUDIT_TYPES_WITH_CONTENT = {
    "reviews.person",
    "reviews.imr",  # the signing-off manager's name, changed or cleared
    "reviews.review",  # terms of reference and key lines as they were changed
    "chronology.chronologyentry",
    "chronology.clarification",
    "reports.section",
    "reports.comment",
    "reports.familyreader",  # the family member's name and relationship
    "reports.familyreaderversion",
    "reports.familycomment",
    "reports.suggestion",
    "reviews.publicationdecision",  # where a finding was, and the chair's reason
    "reviews.actionarising",  # the start of what the panel asked
    "reviews.familypseudonym",  # the pseudonym and the designation it replaced
}


@contextlib.contextmanager
def _audit_purge_allowed() -> Iterator[None]:
    """The one exception to the append-only audit trail (migration reviews 0008): on PostgreSQL
    the trigger lets audit entries be changed or deleted only while ``casereview.audit_purge``
    is 'on' in this transaction. It is switched on for the purge's own statement and off again,
    and ``SET LOCAL`` ends with the transaction in any case."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL casereview.audit_purge = 'on'")
    # On an error the transaction (or its savepoint) is rolled back, and the setting with it.
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL casereview.audit_purge = 'off'")


@transaction.atomic
def review_archive(*, actor: User, review: Review, retain_until: datetime.date) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.archived_at:
        raise ValidationError(f"{review.reference} is already archived.")
    if retain_until <= timezone.localdate():
        raise ValidationError({"retain_until": "Keep the personal data until a date after today."})
    review.archived_at = timezone.now()
    review.retain_until = retain_until
    review.save(update_fields=["archived_at", "retain_until"])
    audit_record(actor=actor, action="review.archived", obj=review, detail={"retain_until": retain_until.isoformat()})
    return review


@transaction.atomic
def review_unarchive(*, actor: User, review: Review) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.purged_at:
        raise ValidationError(f"{review.reference}'s personal data was purged: it cannot be reopened.")
    if not review.archived_at:
        raise ValidationError(f"{review.reference} is not archived.")
    review.archived_at = None
    review.retain_until = None
    review.save(update_fields=["archived_at", "retain_until"])
    audit_record(actor=actor, action="review.unarchived", obj=review)
    return review


@transaction.atomic
def review_purge(*, actor: User | None, review: Review, today: datetime.date | None = None) -> dict[str, int]:
    """Delete the review's personal data, all or nothing, and record what went. Refused
    unless the review is archived and its retention date has passed."""
    today = today or timezone.localdate()
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.purged_at:
        raise ValidationError(f"{review.reference}'s personal data was already purged.")
    if not review.archived_at or not review.retain_until:
        raise ValidationError(f"{review.reference} is not archived: archive it with a retention date first.")
    if review.retain_until >= today:
        raise ValidationError(
            f"{review.reference}'s personal data is kept until {review.retain_until:%-d %B %Y}; "
            "it can be purged after that."
        )
    imrs = Imr.objects.filter(review=review)
    # A build holds its version's row while it writes (chronology.integrated.build.integrated_build):
    # waiting for those locks first means no build's rows are committed after they are deleted.
    list(IntegratedChronology.objects.select_for_update().filter(review=review).values_list("pk", flat=True))
    # The integrated chronology first: its entries point at the agencies' entries.
    counts = {
        "integrated chronologies": IntegratedChronology.objects.filter(review=review).delete()[0],
        "link decisions": LinkDecision.objects.filter(review=review).delete()[0],
        "key episodes": KeyEpisode.objects.filter(review=review).delete()[0],
        # The words around each finding, and the folded name it was about.
        "publication decisions": PublicationDecision.objects.filter(review=review).delete()[0],
        "documents": Document.objects.filter(review=review).delete()[0],
        # The family readers' names and the family's response in their words (their comments went with the documents).
        "family readers": FamilyReader.objects.filter(review=review).delete()[0],
        "family responses": FamilyResponse.objects.filter(review=review).delete()[0],
        **_process_records_purge(review),
        "clarifications": Clarification.objects.filter(imr__review=review).delete()[0],
        "chronology entries": ChronologyEntry.objects.filter(imr__review=review).delete()[0],
        "uploads": ChronologyUpload.objects.filter(imr__review=review).delete()[0],
        "IMR answers": ImrAnswer.objects.filter(imr__review=review).delete()[0],
        # What each IMR held when it was returned: entries and answers as they were.
        "IMR snapshots": ImrSnapshot.objects.filter(imr__review=review).delete()[0],
        "IMR recommendations": ImrRecommendation.objects.filter(imr__review=review).delete()[0],
        "key lines of enquiry": KeyLineOfEnquiry.objects.filter(review=review).delete()[0],
        "people": Person.objects.filter(review=review).delete()[0],
        "notifications": Notification.objects.filter(review=review).delete()[0],
        # Evidence files may show case detail; the actions and their progress notes stay.
        "evidence files": Evidence.objects.filter(action__recommendation__review=review).delete()[0],
    }
    imrs.update(nil_return_reason="", signing_off_manager="", signing_off_manager_role="")
    with _audit_purge_allowed():
        AuditEntry.objects.filter(review=review, object_type__in=_AUDIT_TYPES_WITH_CONTENT).update(
            detail={"purged": True}, object_repr=""
        )
    review.terms_of_reference = ""
    review.purged_at = timezone.now()
    review.save(update_fields=["terms_of_reference", "purged_at"])
    audit_record(actor=actor, action="review.purged", obj=review, detail={"deleted": counts})
    return counts


def _process_records_purge(review: Review) -> dict[str, int]:
    """What running the review wrote about the case: the family involvement log (before the
    people it names), the meetings' minutes, decisions, agendas and actions arising, the scoping
    record's account of the circumstances, and the submission packs and the panel's feedback.
    The meetings' dates and attendance, the scoping decision and its dates, and the checklist's
    answers stay."""
    return {
        "family contacts": FamilyContact.objects.filter(review=review).delete()[0],
        "family offers": FamilyOffer.objects.filter(review=review).delete()[0],
        "family pseudonyms": FamilyPseudonym.objects.filter(review=review).delete()[0],
        "actions arising": ActionArising.objects.filter(meeting__review=review).delete()[0],
        "agenda items": AgendaItem.objects.filter(meeting__review=review).delete()[0],
        "meeting minutes": PanelMeeting.objects.filter(review=review)
        .exclude(minutes="", decisions="")
        .update(minutes="", decisions="", minutes_save_id=""),
        "scoping accounts": _scoping_purge(review),
        "submission packs": SubmissionPack.objects.filter(review=review).delete()[0],
        "submission notes": SubmissionFeedback.objects.filter(review=review).update(text=PURGED_TEXT)
        + SubmissionCheckMark.objects.filter(review=review).exclude(note="").update(note=""),
    }


def _scoping_purge(review: Review) -> int:
    """The scoping record's account of what happened and the agencies' summaries go; a decision
    keeps its place and date, its reasons replaced by a note (a decision always has reasons)."""
    records = ScopingRecord.objects.filter(review=review)
    count = records.filter(decision="").update(circumstances="")
    count += records.exclude(decision="").update(circumstances="", reasons=PURGED_TEXT)
    return count + ScopingInformation.objects.filter(review=review).exclude(summary="").update(summary="")


def reviews_purge_due(*, today: datetime.date | None = None) -> list[str]:
    """Purge every archived review whose retention date has passed; each in its own
    transaction, so one failure does not keep the others' data. Returns the references."""
    today = today or timezone.localdate()
    done = []
    due = Review.objects.filter(archived_at__isnull=False, purged_at__isnull=True, retain_until__lt=today)
    for review in due.order_by("retain_until", "pk"):
        try:
            review_purge(actor=None, review=review, today=today)
        except ValidationError as error:  # reopened meanwhile, say: the others still go
            logger.warning("Not purged: %s", " ".join(error.messages))
            continue
        done.append(review.reference)
    return done
