"""Permission-matrix rows of the panel meetings' pages (reviews.meeting_urls).

The meetings are the panel's: the chair, panel members and board administrators read them; the
chair and board administrators change them (a panel member: 403); IMR authors, action owners and
anyone outside the review: 404. An action arising is marked done by its owner too, whatever their
role in the review."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tests.conftest import World
from tests.matrix import Row, expect

PANEL_READS = expect(404, chair=200, panel=200, board_admin=200)
CHAIR_PAGE = expect(404, chair=200, panel=403, board_admin=200)
CHAIR_WRITES = expect(404, chair=302, panel=403, board_admin=302)


def _document(w: World, kind: str):
    """The review's document of this kind (another row's world may have made it already)."""
    from reports import document_services
    from reports.models import Document

    found = Document.objects.filter(review=w.review, kind=kind).first()
    return found or document_services.document_create(review=w.review, kind=kind, actor=w.chair)


def meetings_world(w: World) -> dict:
    """Two meetings of the world's review (the first held a week ago, with draft minutes; the
    second today, an hour ago), a paper of the overview report, and two actions arising of the
    second: one owned by the panel member, one by agency A's IMR author. Made once per review."""
    if not hasattr(w.review, "_matrix_meetings"):
        from reviews import meeting_services
        from reviews.meeting_services import MeetingDetails

        now = timezone.now()
        first = meeting_services.meeting_create(
            actor=w.chair, review=w.review,
            details=MeetingDetails(starts_at=now - datetime.timedelta(days=7), place="Room 4", agenda=["Terms"]),
        )  # fmt: skip
        meeting_services.meeting_minutes_save(actor=w.chair, meeting=first, text="<p>Agreed.</p>", base_version=0)
        meeting = meeting_services.meeting_create(
            actor=w.chair, review=w.review,
            details=MeetingDetails(starts_at=now - datetime.timedelta(hours=1), place="Room 4", agenda=["IMRs"]),
        )  # fmt: skip
        document = _document(w, "overview")
        paper = meeting_services.meeting_paper_add(actor=w.chair, meeting=meeting, document=document)
        summary = _document(w, "executive_summary")  # not yet circulated
        due = timezone.localdate() + datetime.timedelta(days=14)
        panels = meeting_services.action_arising_add(
            actor=w.chair, meeting=meeting, description="Ask the GP for records.", owner=w.panel, due_date=due
        )
        authors = meeting_services.action_arising_add(
            actor=w.chair, meeting=meeting, description="Send the IMR.", owner=w.author_a, due_date=due
        )
        w.review._matrix_meetings = {
            "meeting": meeting, "paper": paper, "document": document, "summary": summary,
            "panels": panels, "authors": authors,
        }  # fmt: skip
    return w.review._matrix_meetings


def meeting_args(w: World) -> list:
    return [w.review.pk, meetings_world(w)["meeting"].pk]


def paper_args(w: World) -> list:
    return [*meeting_args(w), meetings_world(w)["paper"].pk]


def panels_action_args(w: World) -> list:
    return [*meeting_args(w), meetings_world(w)["panels"].pk]


def authors_action_args(w: World) -> list:
    return [*meeting_args(w), meetings_world(w)["authors"].pk]


def meeting_list_args(w: World) -> list:
    return [w.review.pk]


def meeting_data(w: World) -> dict:
    return {"date": "2026-03-02", "time": "10:00", "place": "Civic Centre, Room 4", "agenda": "Welcome\nIMRs"}


def attendance_data(w: World) -> dict:
    return {f"status_{w.panel.pk}": "present", f"agency_{w.panel.pk}": str(w.agency_a.pk)}


def minutes_data(w: World) -> dict:
    return {"body": "<p>The panel agreed the terms of reference.</p>", "base_version": "0"}


def paper_data(w: World) -> dict:
    return {"paper": f"document:{meetings_world(w)['summary'].pk}"}


def action_data(w: World) -> dict:
    due = timezone.localdate() + datetime.timedelta(days=10)
    return {"description": "Share the chronology.", "owner": str(w.panel.pk), "due_date": due.isoformat()}


ROWS: list[Row] = [
    Row("reviews:meeting_list", "GET", meeting_list_args, PANEL_READS),
    Row("reviews:meeting_create", "GET", meeting_list_args, CHAIR_PAGE),
    Row("reviews:meeting_create", "POST", meeting_list_args, CHAIR_WRITES, meeting_data),
    Row("reviews:meeting_detail", "GET", meeting_args, PANEL_READS),
    Row("reviews:meeting_edit", "GET", meeting_args, CHAIR_PAGE),
    Row("reviews:meeting_edit", "POST", meeting_args, CHAIR_WRITES, meeting_data),
    Row("reviews:meeting_attendance", "GET", meeting_args, CHAIR_PAGE),
    Row("reviews:meeting_attendance", "POST", meeting_args, CHAIR_WRITES, attendance_data),
    Row("reviews:meeting_minutes", "GET", meeting_args, CHAIR_PAGE),
    Row("reviews:meeting_minutes", "POST", meeting_args, CHAIR_WRITES, minutes_data),
    Row("reviews:meeting_minutes_approve", "POST", meeting_args, CHAIR_WRITES),
    Row("reviews:meeting_papers", "GET", meeting_args, CHAIR_PAGE),
    Row("reviews:meeting_papers", "POST", meeting_args, CHAIR_WRITES, paper_data),
    Row("reviews:meeting_paper_remove", "POST", paper_args, CHAIR_WRITES),
    Row("reviews:action_arising_create", "GET", meeting_args, CHAIR_PAGE),
    Row("reviews:action_arising_create", "POST", meeting_args, CHAIR_WRITES, action_data),
    # The panel member owns this one: they mark it done as the chair may.
    Row(
        "reviews:action_arising_done",
        "POST",
        panels_action_args,
        expect(404, chair=302, panel=302, board_admin=302),
        lambda w: {"done": "yes"},
        label="(the panel member's)",
    ),  # fmt: skip
    # Agency A's IMR author owns this one: they may not read the meeting, but mark their action
    # done (from "My actions"); a panel member who does not own it may not.
    Row(
        "reviews:action_arising_done",
        "POST",
        authors_action_args,
        expect(404, chair=302, panel=403, board_admin=302, author_a=302, author_a_owner_b=404),
        lambda w: {"done": "yes"},
        label="(an IMR author's)",
    ),  # fmt: skip
]

# The audit column (tests/test_permission_matrix.py): every meeting's page goes through its access
# helper, which records the look (the minutes, agenda and decisions speak of the case).
SHOWS_PERSONAL_DATA: dict[str, bool | frozenset[str]] = {
    "GET reviews:meeting_detail": True,
    "GET reviews:meeting_edit": True,
    "GET reviews:meeting_attendance": True,
    "GET reviews:meeting_minutes": True,
    "GET reviews:meeting_papers": True,
    "GET reviews:action_arising_create": True,
}
# Dates, places and counts; an empty form.
SHOWS_NO_PERSONAL_DATA = {"GET reviews:meeting_list", "GET reviews:meeting_create"}
