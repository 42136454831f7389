"""The demo DHR's scoping record, drawn from seed 002's introduction (paragraphs 1, 13, 18 and 23):
the notification the day after the death, the agencies asked to search their records, and the
decision to hold a review with its reasons. Loaded through the services, as the chair would record
it; loaded once."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from accounts.models import User
from reviews.demo_data import BHAM_CSC, BHAM_POLICE, BHAM_WA
from reviews.models import Agency, Review
from reviews.scoping_models import ScopingRecord
from reviews.scoping_services import scoping_decide, scoping_information_add, scoping_notification_save

CIRCUMSTANCES = (
    "A woman aged 22, the mother of three children under five, died at her home in August 2012. Her "
    "partner was arrested. The family were known to the police, children's social care and a domestic "
    "abuse service."
)
# (agency, asked on, answered on, what it said)
INFORMATION = [
    (
        BHAM_POLICE, date(2012, 8, 8), date(2012, 8, 15),
        "Attended reported domestic incidents at the address in 2010 and 2012; DASH risk assessments were made.",
    ),
    (
        BHAM_CSC, date(2012, 8, 8), date(2012, 8, 17),
        "The children were subject to child protection plans; the family had an allocated social worker.",
    ),
    (
        BHAM_WA, date(2012, 8, 8), date(2012, 8, 20),
        "The victim had been referred for refuge accommodation and was on the waiting list for outreach support.",
    ),
]  # fmt: skip
REASONS = (
    "The death appears to have resulted from violence by a person with whom the victim was in an intimate "
    "relationship: the criteria for a Domestic Homicide Review under section 9 of the Domestic Violence, "
    "Crime and Victims Act 2004 are met. The Domestic Homicide Review Steering Group recommended a review on "
    "21 August 2012 and the Chair of the Partnership approved it. The Birmingham Safeguarding Children "
    "Board takes the learning for the children from this review rather than a separate Serious Case Review."
)


def demo_scoping_load(reference: str, *, chair: User) -> list[str]:
    """The scoping record of the demo DHR, unless it has one already (the demo loads again safely)."""
    review = Review.objects.get(reference=reference, memberships__user=chair, memberships__role="chair")
    if ScopingRecord.objects.filter(review=review).exists():
        return [f"{review.reference}: the scoping record is already loaded"]
    today = timezone.localdate()
    agencies = {agency.name: agency for agency in Agency.objects.filter(partnership=review.partnership)}
    scoping_notification_save(
        actor=chair, review=review, received_on=review.notification_date, notified_by="West Midlands Police",
        notifying_agency=agencies[BHAM_POLICE], circumstances=CIRCUMSTANCES, today=today,
    )  # fmt: skip
    for name, asked, answered, summary in INFORMATION:
        scoping_information_add(
            actor=chair, review=review, agency=agencies[name], requested_on=asked, received_on=answered,
            summary=summary, today=today,
        )  # fmt: skip
    scoping_decide(
        actor=chair, review=review, decision=ScopingRecord.Decision.PROCEED, decided_on=review.decision_date,
        reasons=REASONS, today=today,
    )  # fmt: skip
    return [f"{review.reference}: scoping record loaded (notification, {len(INFORMATION)} agencies, decision)"]
