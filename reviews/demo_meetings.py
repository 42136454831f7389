"""The demo DHR's panel meetings: two meetings already held, with their agendas, who attended for
which agency, minutes (the second meeting approved the first's; its own are still a draft),
decisions, the overview report circulated for the second, and actions arising (two done, one
still open in the demo panel member's list).
Loaded through the services, as the chair would record them; loaded once."""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.models import User
from reports.models import Document
from reviews import demo_data, meeting_selectors, meeting_services
from reviews.meeting_models import MeetingAttendance, PanelMeeting
from reviews.meeting_services import AttendanceRecord, MeetingDetails
from reviews.models import Agency, Review

PLACE = "Council House, Committee Room 2, Victoria Square, Birmingham"


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


FIRST = MeetingDetails(
    starts_at=_at(datetime.date(2012, 10, 15), 10),
    place=PLACE,
    agenda=[
        "Introductions, confidentiality and the panel's independence",
        "Terms of reference, review period and key lines of enquiry",
        "Agencies to provide IMRs and chronologies",
        "Involving the family",
        "Timetable and next meeting",
    ],
    decisions=(
        "The review period runs from April 2008 to the victim's death on 6 August 2012.\n"
        "IMRs and chronologies are requested from eight agencies, due by 7 December 2012.\n"
        "The Chair writes to the victim's family through the police Family Liaison Officer."
    ),
)
FIRST_MINUTES = (
    "<p><strong>1. Introductions.</strong> The Chair welcomed the panel and reminded members that the "
    "review's papers are confidential and that no member had line management of the practitioners "
    "involved.</p>"
    "<p><strong>2. Terms of reference.</strong> The panel agreed the terms of reference and the review "
    "period, from April 2008, when the victim's first contact with services about domestic abuse was "
    "recorded, to her death.</p>"
    "<p><strong>3. IMRs.</strong> Eight agencies had contact with the family. Each will provide an IMR and "
    "a chronology on the template; the GP cluster will cover all three practices.</p>"
    "<p><strong>4. The family.</strong> The police Family Liaison Officer will deliver the Chair's letter, "
    "with leaflets on advocacy, to the victim's mother.</p>"
    "<p><strong>5. Next meeting.</strong> January 2013, once the IMRs are in.</p>"
)
SECOND = MeetingDetails(
    starts_at=_at(datetime.date(2013, 1, 21), 10),
    place=PLACE,
    link="https://meet.example.invalid/bdhr-2012-13-04",
    agenda=[
        "Minutes of the meeting of 15 October 2012",
        "IMRs received and questions to agencies",
        "The integrated chronology and key episodes",
        "The family's contribution",
        "Any other business",
    ],
    decisions=(
        "The two key practice episodes are August to October 2010 and February to August 2012.\n"
        "Children's Social Care is asked to clarify the core group's attendance in 2012."
    ),
)
SECOND_MINUTES = (
    "<p><strong>1. Minutes.</strong> The minutes of 15 October 2012 were approved as a true record.</p>"
    "<p><strong>2. IMRs.</strong> Seven IMRs have been received and one nil return. The panel asked "
    "Children's Social Care who attended the core group meetings in 2012.</p>"
    "<p><strong>3. Integrated chronology.</strong> The panel agreed two key practice episodes.</p>"
    "<p><strong>4. The family.</strong> The victim's mother will meet the Chair in February with her "
    "advocate.</p>"
)


def _agency_of_account(review: Review) -> dict[str, Agency]:
    """The agency each panel account of the seed sits for, by the account's name."""
    agencies = {agency.name: agency for agency in Agency.objects.filter(partnership_id=review.partnership_id)}
    spec = next(spec for spec in demo_data.REVIEWS if spec["reference"] == review.reference)
    return {entry["name"]: agencies[entry["agency"]] for entry in spec["panel"] if entry["agency"] in agencies}


def _attendance(review: Review, *, apologies: int, absent: int) -> list[AttendanceRecord]:
    """Everyone present but the last ``apologies`` + ``absent`` seed panel accounts."""
    by_name = _agency_of_account(review)
    members = meeting_selectors.panel_members(review)
    records = []
    for index, user in enumerate(reversed(members)):
        status = MeetingAttendance.Status.PRESENT
        if index < apologies:
            status = MeetingAttendance.Status.APOLOGIES
        elif index < apologies + absent:
            status = MeetingAttendance.Status.ABSENT
        agency = by_name.get(user.first_name)
        records.append(AttendanceRecord(user.pk, status, agency.pk if agency else None))
    return records


def demo_meetings_load(reference: str, *, chair: User, panel: User, police: User) -> list[str]:
    """The demo DHR's two meetings, unless it has meetings already (the demo loads again safely)."""
    review = Review.objects.get(reference=reference, memberships__user=chair, memberships__role="chair")
    if PanelMeeting.objects.filter(review=review).exists():
        return [f"{review.reference}: the panel meetings are already loaded"]
    first = meeting_services.meeting_create(actor=chair, review=review, details=FIRST)
    meeting_services.meeting_attendance_save(
        actor=chair, meeting=first, records=_attendance(review, apologies=1, absent=0)
    )
    meeting_services.meeting_minutes_save(actor=chair, meeting=first, text=FIRST_MINUTES, base_version=0)
    letter = meeting_services.action_arising_add(
        actor=chair, meeting=first, owner=chair, due_date=datetime.date(2012, 10, 26),
        description="Write to the victim's mother through the Family Liaison Officer, with advocacy leaflets.",
    )  # fmt: skip
    meeting_services.action_arising_mark(actor=chair, action=letter, done=True, now=_at(datetime.date(2012, 10, 24), 9))
    chronology = meeting_services.action_arising_add(
        actor=chair, meeting=first, owner=police, due_date=datetime.date(2012, 12, 7),
        description="Send the police chronology on the panel's template, with the IMR.",
    )  # fmt: skip
    meeting_services.action_arising_mark(
        actor=police, action=chronology, done=True, now=_at(datetime.date(2012, 12, 5), 15)
    )

    second = meeting_services.meeting_create(actor=chair, review=review, details=SECOND)
    meeting_services.meeting_attendance_save(
        actor=chair, meeting=second, records=_attendance(review, apologies=1, absent=1)
    )
    meeting_services.meeting_minutes_approve(actor=chair, meeting=second, now=_at(datetime.date(2013, 1, 21), 10))
    for document in Document.objects.filter(review=review, kind=Document.Kind.OVERVIEW):
        meeting_services.meeting_paper_add(actor=chair, meeting=second, document=document)
    meeting_services.meeting_minutes_save(actor=chair, meeting=second, text=SECOND_MINUTES, base_version=0)
    meeting_services.action_arising_add(
        actor=chair, meeting=second, owner=panel, due_date=datetime.date(2013, 2, 18),
        description="Draft a note on the domestic abuse services' contact with the victim in 2012 for the panel.",
    )  # fmt: skip
    return [f"{review.reference}: two panel meetings loaded, the first's minutes approved at the second"]
