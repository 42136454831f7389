"""Writes for panel meetings: scheduling and editing a meeting (its time, place or link, agenda
and decisions), recording attendance, saving the minutes (the editor's rich text, sanitised, with
optimistic concurrency), approving the previous meeting's minutes, circulating papers and adding
and closing actions arising. Each is atomic, refused on an archived review, and audited in the
same transaction. A meeting may be scheduled in the past: the chair records meetings held before
the review was moved into casereview, and writes the minutes after the meeting."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from reports import richtext
from reports.models import Document, DocumentRender
from reviews import meeting_selectors
from reviews.archived import review_ensure_open
from reviews.audit import audit_record, audit_value
from reviews.imr_narrative_services import SAVE_ID, paragraphs_html
from reviews.meeting_models import ActionArising, AgendaItem, MeetingAttendance, MeetingPaper, PanelMeeting
from reviews.models import Agency, Review

MAX_MINUTES_CHARS = 1_000_000
MAX_AGENDA_ITEM_CHARS = 300
# Text with markup in it comes from the editor; without, from the plain form (reviews.imr_narrative_services).
_TAG = re.compile(r"</?[a-zA-Z]")


@dataclass(frozen=True)
class MeetingDetails:
    """What the chair says about a meeting: when, where, its agenda (in order) and decisions."""

    starts_at: datetime.datetime | None
    place: str = ""
    link: str = ""
    agenda: Sequence[str] = ()
    decisions: str = ""


def meeting_details_check(details: MeetingDetails) -> tuple[datetime.datetime, list[str]]:
    """The time and the agenda items of a meeting, or every problem with them at its field (the
    form asks this too, so all of them are shown at once)."""
    errors: dict[str, list[str]] = {}
    if details.starts_at is None:
        errors["starts_at"] = ["Give the date and time of the meeting."]
    if not details.place.strip() and not details.link.strip():
        errors["place"] = ["Give the place of the meeting or its online link (or both)."]
    agenda = [item.strip() for item in details.agenda if item.strip()]
    long_items = [str(n) for n, item in enumerate(agenda, start=1) if len(item) > MAX_AGENDA_ITEM_CHARS]
    if long_items:
        errors["agenda"] = [
            f"Agenda item {', '.join(long_items)} is longer than {MAX_AGENDA_ITEM_CHARS} characters: shorten it."
        ]
    if errors:
        raise ValidationError(errors)
    assert details.starts_at is not None
    return details.starts_at, agenda


def _agenda_replace(meeting: PanelMeeting, agenda: list[str]) -> None:
    meeting.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=position, title=title) for position, title in enumerate(agenda, start=1)
    )


@transaction.atomic
def meeting_create(*, actor: User, review: Review, details: MeetingDetails) -> PanelMeeting:
    """Schedule a meeting of the review's panel with its agenda."""
    review_ensure_open(review.pk)
    starts_at, agenda = meeting_details_check(details)
    meeting = PanelMeeting.objects.create(
        review=review, starts_at=starts_at, place=details.place.strip(), link=details.link.strip(),
        decisions=details.decisions.strip(), created_by=actor,
    )  # fmt: skip
    _agenda_replace(meeting, agenda)
    audit_record(
        actor=actor, action="panel_meeting.scheduled", obj=meeting, review=review,
        detail={"starts_at": audit_value(starts_at), "agenda_items": len(agenda)},
    )  # fmt: skip
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: PanelMeeting, details: MeetingDetails) -> PanelMeeting:
    """Change a meeting's time, place or link, agenda and decisions."""
    review_ensure_open(meeting.review_id)
    starts_at, agenda = meeting_details_check(details)
    meeting = PanelMeeting.objects.select_for_update().get(pk=meeting.pk)
    before = {"starts_at": audit_value(meeting.starts_at), "place": meeting.place, "link": meeting.link}
    meeting.starts_at = starts_at
    meeting.place = details.place.strip()
    meeting.link = details.link.strip()
    meeting.decisions = details.decisions.strip()
    meeting.save(update_fields=["starts_at", "place", "link", "decisions", "updated_at"])
    _agenda_replace(meeting, agenda)
    after = {"starts_at": audit_value(meeting.starts_at), "place": meeting.place, "link": meeting.link}
    changed = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    audit_record(
        actor=actor, action="panel_meeting.changed", obj=meeting,
        detail={"changed": changed, "agenda_items": len(agenda), "decisions": len(meeting.decision_list)},
    )  # fmt: skip
    return meeting


# --- Attendance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRecord:
    """One panel member's attendance: status "" when not recorded; the agency they represented."""

    user_id: int
    status: str
    agency_id: int | None = None


@transaction.atomic
def meeting_attendance_save(*, actor: User, meeting: PanelMeeting, records: Sequence[AttendanceRecord]) -> None:
    """Record who was present, sent apologies or was absent, for which agency. Only the review's
    chair and panel members are recorded; an agency must be of the review's partnership."""
    review_ensure_open(meeting.review_id)
    members = {user.pk: user for user in meeting_selectors.panel_members(meeting.review)}
    agencies = set(Agency.objects.filter(partnership_id=meeting.review.partnership_id).values_list("pk", flat=True))
    statuses = set(MeetingAttendance.Status.values)
    for record in records:
        if record.user_id not in members:
            raise ValidationError("Attendance can be recorded only for the review's chair and panel members.")
        if record.status and record.status not in statuses:
            raise ValidationError({f"status_{record.user_id}": ["Choose present, apologies or absent."]})
        if record.agency_id is not None and record.agency_id not in agencies:
            raise ValidationError({f"agency_{record.user_id}": ["Choose an agency of this partnership."]})
    MeetingAttendance.objects.filter(meeting=meeting).delete()
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, user_id=r.user_id, status=r.status, agency_id=r.agency_id)
        for r in records
        if r.status
    )
    counts = {status: sum(1 for r in records if r.status == status) for status in statuses}
    audit_record(actor=actor, action="panel_meeting.attendance_recorded", obj=meeting, detail=counts)


# --- Minutes ------------------------------------------------------------------------------------


@dataclass
class StaleMinutes(Exception):
    """A save of the minutes based on a version since replaced: nothing was written."""

    meeting: PanelMeeting
    base_version: int
    mine: str

    def __str__(self) -> str:
        who = self.meeting.minutes_updated_by.display_name if self.meeting.minutes_updated_by else "someone else"
        return (
            f"Not saved: the minutes were saved by {who} after you opened them (version {self.base_version} is now "
            f"version {self.meeting.minutes_version}). Nothing was overwritten: both texts are below. Copy what you "
            "need into the latest version, then save again."
        )


@dataclass(frozen=True)
class SavedMinutes:
    version: int
    saved_at: datetime.datetime | None


def minutes_clean(text: str) -> str:
    """The minutes as stored: sanitised HTML (the documents' sanitiser), empty when they have no
    words. Text without markup (the form without the editor) is taken as plain paragraphs."""
    text = text or ""
    if len(text) > MAX_MINUTES_CHARS:
        raise ValidationError(
            {"body": [f"The minutes are too long to save ({len(text):,} characters; the most is 1,000,000)."]}
        )
    if not _TAG.search(text):
        text = paragraphs_html(text)
    try:
        clean = richtext.sanitise(text)
    except richtext.TooDeeplyNested as error:
        raise ValidationError(
            {"body": [f"The minutes were not saved: {error} Paste them as plain text and format them again."]}
        ) from error
    return clean if richtext.plain_text(clean).strip() else ""


@transaction.atomic
def meeting_minutes_save(
    *, actor: User, meeting: PanelMeeting, text: str, base_version: int | None, save_id: str = "",
    autosave: bool = False,
) -> SavedMinutes:  # fmt: skip
    """Save the minutes. A save whose ``save_id`` was the last one made is answered with its
    version (the editor retried it); one based on an older version raises ``StaleMinutes``.
    Approved minutes are a true record and are not changed."""
    review_ensure_open(meeting.review_id)
    if save_id and not SAVE_ID.fullmatch(save_id):
        raise ValidationError("The editor sent a save id that is not valid: reload the page and save again.")
    meeting = (
        PanelMeeting.objects.select_for_update(of=("self",)).select_related("minutes_updated_by").get(pk=meeting.pk)
    )
    if save_id and meeting.minutes_save_id == save_id:
        return SavedMinutes(meeting.minutes_version, meeting.minutes_updated_at)
    if meeting.minutes_approved:
        raise ValidationError(
            {
                "body": [
                    "These minutes were approved as a true record at the next meeting: they can no longer be changed."
                ]
            }
        )
    clean = minutes_clean(text)
    if base_version is not None and base_version != meeting.minutes_version:
        raise StaleMinutes(meeting=meeting, base_version=base_version, mine=clean)
    if clean == meeting.minutes:
        return SavedMinutes(meeting.minutes_version, meeting.minutes_updated_at)
    meeting.minutes = clean
    meeting.minutes_version += 1
    meeting.minutes_save_id = save_id
    meeting.minutes_updated_by = actor
    meeting.minutes_updated_at = timezone.now()
    meeting.save(
        update_fields=["minutes", "minutes_version", "minutes_save_id", "minutes_updated_by", "minutes_updated_at"]
    )
    if not autosave:  # autosaves are many; the trail keeps the typed saves
        audit_record(
            actor=actor, action="panel_meeting.minutes_saved", obj=meeting, detail={"version": meeting.minutes_version}
        )
    return SavedMinutes(meeting.minutes_version, meeting.minutes_updated_at)


@transaction.atomic
def meeting_minutes_approve(*, actor: User, meeting: PanelMeeting, now: datetime.datetime) -> PanelMeeting:
    """At ``meeting``, approve the previous meeting's minutes as a true record (who and when)."""
    review_ensure_open(meeting.review_id)
    previous = meeting_selectors.previous_meeting(meeting)
    if previous is None:
        raise ValidationError("This is the review's first meeting: there are no earlier minutes to approve.")
    previous = PanelMeeting.objects.select_for_update().get(pk=previous.pk)
    if meeting.starts_at > now:
        raise ValidationError(
            "Minutes are approved at the meeting that follows: this meeting has not started yet. "
            f"Approve them on or after {timezone.localtime(meeting.starts_at):%d/%m/%Y %H:%M}."
        )
    if previous.minutes_approved:
        raise ValidationError("The previous meeting's minutes are already approved.")
    if not richtext.plain_text(previous.minutes).strip():
        raise ValidationError("The previous meeting has no minutes yet: write them before they are approved.")
    previous.minutes_approved_at = now
    previous.minutes_approved_by = actor
    previous.minutes_approved_at_meeting = meeting
    previous.save(update_fields=["minutes_approved_at", "minutes_approved_by", "minutes_approved_at_meeting"])
    audit_record(
        actor=actor, action="panel_meeting.minutes_approved", obj=previous, review=meeting.review,
        detail={"approved_at_meeting": meeting.pk, "version": previous.minutes_version},
    )  # fmt: skip
    return previous


# --- Papers -------------------------------------------------------------------------------------


@transaction.atomic
def meeting_paper_add(
    *, actor: User, meeting: PanelMeeting, document: Document, render: DocumentRender | None = None
) -> MeetingPaper:
    """Circulate a document of the review for the meeting: as it stands, or one ready file of it."""
    review_ensure_open(meeting.review_id)
    if document.review_id != meeting.review_id:
        raise ValidationError({"paper": ["Choose a document of this review."]})
    if render is not None and (render.document_id != document.pk or render.status != DocumentRender.Status.READY):
        raise ValidationError({"paper": ["Choose a file of this document that is ready."]})
    papers = MeetingPaper.objects.filter(meeting=meeting, document=document)
    if papers.filter(render=render).exists():
        raise ValidationError({"paper": ["This paper is already circulated for the meeting."]})
    paper = MeetingPaper.objects.create(meeting=meeting, document=document, render=render, added_by=actor)
    audit_record(
        actor=actor, action="panel_meeting.paper_added", obj=meeting,
        detail={"document": document.pk, "render": render.pk if render else None},
    )  # fmt: skip
    return paper


@transaction.atomic
def meeting_paper_remove(*, actor: User, paper: MeetingPaper) -> None:
    meeting = paper.meeting
    review_ensure_open(meeting.review_id)
    detail = {"document": paper.document_id, "render": paper.render_id}
    paper.delete()
    audit_record(actor=actor, action="panel_meeting.paper_removed", obj=meeting, detail=detail)


# --- Actions arising ----------------------------------------------------------------------------


@transaction.atomic
def action_arising_add(
    *, actor: User, meeting: PanelMeeting, description: str, owner: User | None, due_date: datetime.date | None
) -> ActionArising:
    """An action the panel gives one member of the review, due on or after the meeting's day."""
    review_ensure_open(meeting.review_id)
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = ["Say what is to be done."]
    members = {user.pk for user in meeting_selectors.review_members(meeting.review)}
    if owner is None:
        errors["owner"] = ["Choose who owns the action."]
    elif owner.pk not in members:
        errors["owner"] = [f"{owner.display_name} is not a member of this review: choose one of its members."]
    meeting_day = timezone.localdate(meeting.starts_at)
    if due_date is None:
        errors["due_date"] = ["Give the date the action is due."]
    elif due_date < meeting_day:
        errors["due_date"] = [f"The due date is before the meeting ({meeting_day:%d/%m/%Y}): choose a later date."]
    if errors:
        raise ValidationError(errors)
    assert owner is not None and due_date is not None
    action = ActionArising.objects.create(
        meeting=meeting, description=description.strip(), owner=owner, due_date=due_date, created_by=actor
    )
    audit_record(
        actor=actor, action="action_arising.added", obj=action, review=meeting.review,
        detail={"meeting": meeting.pk, "owner": owner.display_name, "due_date": audit_value(due_date)},
    )  # fmt: skip
    return action


@transaction.atomic
def action_arising_mark(*, actor: User, action: ActionArising, done: bool, now: datetime.datetime) -> ActionArising:
    """Mark an action arising done (it leaves its owner's list) or not done again."""
    review_ensure_open(action.meeting.review_id)
    action = ActionArising.objects.select_for_update(of=("self",)).select_related("meeting__review").get(pk=action.pk)
    if action.is_done == done:
        return action  # sent twice: nothing to change
    action.done_at = now if done else None
    action.done_by = actor if done else None
    action.save(update_fields=["done_at", "done_by"])
    audit_record(
        actor=actor, action="action_arising.done" if done else "action_arising.reopened", obj=action,
        review=action.meeting.review,
    )  # fmt: skip
    return action
