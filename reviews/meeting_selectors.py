"""Reads for panel meetings: a review's meetings, one meeting with everything on its page, the
papers a reader may open, the actions arising in someone's list, and (for the board's view of
many reviews at once) each review's next meeting and its open and overdue actions arising, each
in one query whatever the number of reviews."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from accounts.models import User
from reviews.meeting_models import ActionArising, MeetingAttendance, MeetingPaper, PanelMeeting
from reviews.models import PartnershipMembership, Review, ReviewMembership

# Who sits on a review's panel, and so whose attendance a meeting records.
PANEL_ROLES = (ReviewMembership.Role.CHAIR, ReviewMembership.Role.PANEL)


# --- For the board's view of many reviews -------------------------------------------------------


def next_meeting_by_review(review_ids: Collection[int], now: datetime.datetime) -> dict[int, PanelMeeting]:
    """Each review's next meeting (the first starting at or after ``now``), by review id; a review
    with none to come is absent. One query: each review's first meeting is picked by a subquery
    on the index panel_meeting_review_start."""
    if not review_ids:
        return {}
    first_to_come = (
        PanelMeeting.objects.filter(review_id=OuterRef("review_id"), starts_at__gte=now)
        .order_by("starts_at", "pk")
        .values("pk")[:1]
    )
    meetings = PanelMeeting.objects.filter(review_id__in=list(review_ids), pk=Subquery(first_to_come))
    return {meeting.review_id: meeting for meeting in meetings}


def open_actions_arising_by_review(review_ids: Collection[int], today: datetime.date) -> dict[int, tuple[int, int]]:
    """Each review's actions arising not yet done, as (open, overdue: due before ``today``), by
    review id; every review asked for is present, (0, 0) when it has none. One query."""
    counts = {review_id: (0, 0) for review_id in review_ids}
    if not counts:
        return counts
    rows = (
        ActionArising.objects.filter(meeting__review_id__in=list(counts), done_at__isnull=True)
        .values("meeting__review_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
        .order_by()
    )
    for row in rows:
        counts[row["meeting__review_id"]] = (row["open"], row["overdue"])
    return counts


# --- A review's meetings --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRow:
    """A meeting in the review's list: its number in order, and what is open on it."""

    number: int
    meeting: PanelMeeting
    open_actions: int


def meetings_of_review(review: Review) -> list[MeetingRow]:
    """The review's meetings in date order, numbered from 1, with their open actions arising."""
    meetings = (
        PanelMeeting.objects.filter(review=review)
        .annotate(open_actions=Count("actions_arising", filter=Q(actions_arising__done_at__isnull=True)))
        .order_by("starts_at", "pk")
    )
    return [MeetingRow(number, meeting, meeting.open_actions) for number, meeting in enumerate(meetings, start=1)]


def meeting_number(meeting: PanelMeeting) -> int:
    """The meeting's place among the review's meetings, from 1."""
    earlier = PanelMeeting.objects.filter(review_id=meeting.review_id).filter(
        Q(starts_at__lt=meeting.starts_at) | Q(starts_at=meeting.starts_at, pk__lt=meeting.pk)
    )
    return earlier.count() + 1


def previous_meeting(meeting: PanelMeeting) -> PanelMeeting | None:
    """The meeting before this one, whose minutes this one approves."""
    return (
        PanelMeeting.objects.filter(review_id=meeting.review_id)
        .filter(Q(starts_at__lt=meeting.starts_at) | Q(starts_at=meeting.starts_at, pk__lt=meeting.pk))
        .select_related("minutes_approved_by")
        .order_by("-starts_at", "-pk")
        .first()
    )


def panel_members(review: Review) -> list[User]:
    """The chair and panel members of the review: whose attendance a meeting records, in name order."""
    user_ids = ReviewMembership.objects.filter(review=review, role__in=PANEL_ROLES).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("last_name", "first_name", "pk"))


def review_members(review: Review) -> list[User]:
    """Everyone with a role in the review (and its board's administrators): who may own an action
    arising, in name order."""
    member_ids = ReviewMembership.objects.filter(review=review).values("user_id")
    admin_ids = PartnershipMembership.objects.filter(
        partnership_id=review.partnership_id, role=PartnershipMembership.Role.BOARD_ADMIN
    ).values("user_id")
    return list(
        User.objects.filter(Q(pk__in=member_ids) | Q(pk__in=admin_ids), is_active=True).order_by(
            "last_name", "first_name", "pk"
        )
    )


def attendance_of(meeting: PanelMeeting) -> list[MeetingAttendance]:
    return list(MeetingAttendance.objects.filter(meeting=meeting).select_related("user", "agency"))


def actions_arising_of(meeting: PanelMeeting) -> list[ActionArising]:
    return list(ActionArising.objects.filter(meeting=meeting).select_related("owner", "done_by"))


def papers_of(meeting: PanelMeeting, *, publication_versions: bool) -> list[MeetingPaper]:
    """The papers circulated for the meeting that the reader may open: every document (the
    panel reads them all), and the publication version of a rendered file only for those who may
    read publication versions (the chair and board administrators)."""
    papers = MeetingPaper.objects.filter(meeting=meeting).select_related("document__review", "render", "added_by")
    if not publication_versions:
        papers = papers.exclude(render__publication=True)
    return list(papers.defer("render__data"))


# --- Someone's own list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MyActionArising:
    action: ActionArising
    # Whether the owner may open the meeting it arose at (the panel may; an agency's author may not).
    can_open_meeting: bool


def actions_arising_for_owner(user: User) -> list[MyActionArising]:
    """The user's actions arising not yet done, soonest due first, in reviews they still have a
    role in (a member removed from a review no longer sees its actions)."""
    member_of = ReviewMembership.objects.filter(user=user).values("review_id")
    administered = PartnershipMembership.objects.filter(user=user, role=PartnershipMembership.Role.BOARD_ADMIN).values(
        "partnership_id"
    )
    actions = (
        ActionArising.objects.filter(owner=user, done_at__isnull=True)
        .filter(Q(meeting__review_id__in=member_of) | Q(meeting__review__partnership_id__in=administered))
        .select_related("meeting__review")
        .order_by("due_date", "pk")
    )
    panel_reviews = set(
        ReviewMembership.objects.filter(user=user, role__in=PANEL_ROLES).values_list("review_id", flat=True)
    )
    administered_ids = set(administered.values_list("partnership_id", flat=True))
    return [
        MyActionArising(
            action,
            action.meeting.review_id in panel_reviews or action.meeting.review.partnership_id in administered_ids,
        )
        for action in actions
    ]


def meetings_to_remind(start: datetime.datetime, end: datetime.datetime) -> QuerySet[PanelMeeting]:
    """Meetings starting between ``start`` and ``end`` in reviews that are not archived."""
    return PanelMeeting.objects.filter(
        starts_at__gte=start, starts_at__lt=end, review__archived_at__isnull=True
    ).select_related("review__partnership")
