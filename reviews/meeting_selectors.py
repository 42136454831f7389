"""Reads for panel meetings: a review's meetings, one meeting with everything on its page, the
papers a reader may open, the actions arising in someone's list, and (for the board's view of
many reviews at once) each review's next meeting and its open and overdue actions arising, each
in one query whatever the number of reviews."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from reports import richtext
from reports.models import Document, DocumentRender
from reviews.meeting_models import ActionArising, MeetingAttendance, MeetingPaper, PanelMeeting
from reviews.models import Agency, PartnershipMembership, Review, ReviewMembership

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
    return list(papers)


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


# --- One meeting's page ----------------------------------------------------------------------------


def minutes_html(text: str) -> SafeString:
    """The minutes' stored HTML, sanitised again on the way out (as an IMR answer's is)."""
    return mark_safe(richtext.sanitise(text))  # noqa: S308 - sanitised just now


def agenda_of(meeting: PanelMeeting) -> list[str]:
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


def paper_choices(review: Review, *, publication_versions: bool) -> list[tuple[str, str]]:
    """What may be circulated: each document of the review as it stands, and each of its ready
    files (publication versions only for those who may read them), newest file first."""
    documents = list(Document.objects.filter(review=review).order_by("kind"))
    renders = DocumentRender.objects.filter(document__review=review, status=DocumentRender.Status.READY)
    if not publication_versions:
        renders = renders.filter(publication=False)
    by_document: dict[int, list[DocumentRender]] = {}
    for render in renders.order_by("-requested_at", "-pk"):
        by_document.setdefault(render.document_id, []).append(render)
    choices: list[tuple[str, str]] = []
    for document in documents:
        document.review = review
        name = document.get_kind_display()
        choices.append((f"document:{document.pk}", f"{name} (as it stands)"))
        for render in by_document.get(document.pk, []):
            render.document = document
            made = timezone.localtime(render.finished_at or render.requested_at)
            choices.append((f"render:{render.pk}", f"{name}: {render.label}, made {made:%d/%m/%Y %H:%M}"))
    return choices


def paper_resolve(review: Review, value: str) -> tuple[Document, DocumentRender | None] | None:
    """The document (and file) a paper choice names, when it is of this review."""
    kind, _, pk = value.partition(":")
    if not pk.isdigit():
        return None
    if kind == "document":
        document = Document.objects.filter(review=review, pk=int(pk)).first()
        return (document, None) if document else None
    if kind == "render":
        render = DocumentRender.objects.select_related("document").filter(document__review=review, pk=int(pk)).first()
        return (render.document, render) if render else None
    return None


@dataclass(frozen=True)
class MeetingPage:
    number: int
    agenda: list[str]
    attendance: list[MeetingAttendance]
    papers: list[MeetingPaper]
    actions: list[ActionArising]
    previous: PanelMeeting | None
    minutes: SafeString
    approved_at_number: int | None


def meeting_page(meeting: PanelMeeting, *, publication_versions: bool) -> MeetingPage:
    """Everything a meeting's page shows; papers as the reader may open them."""
    approved_at = meeting.minutes_approved_at_meeting
    return MeetingPage(
        number=meeting_number(meeting),
        agenda=agenda_of(meeting),
        attendance=attendance_of(meeting),
        papers=papers_of(meeting, publication_versions=publication_versions),
        actions=actions_arising_of(meeting),
        previous=previous_meeting(meeting),
        minutes=minutes_html(meeting.minutes),
        approved_at_number=meeting_number(approved_at) if approved_at else None,
    )


def agencies_of(review: Review) -> list[Agency]:
    """The agencies of the review's partnership: whom a member may represent at a meeting."""
    return list(Agency.objects.filter(partnership_id=review.partnership_id).order_by("name"))
