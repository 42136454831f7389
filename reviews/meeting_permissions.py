"""Object-level access to panel meetings. The meetings are the panel's: the chair, panel members
and board administrators read them, their minutes and papers; the chair and board administrators
schedule and edit them (the rest of the panel: 403). IMR authors, action owners and anyone
outside the review get 404, as for the review's documents. An action arising is marked done by
its owner, whatever their role in the review, or by those who edit the meetings. An archived
review is read-only (403, saying why).

Minutes record what the panel said about the case, so opening a meeting is recorded in the audit
trail (once per person and window, reviews.audit.audit_view)."""

from __future__ import annotations

from django.http import Http404

from accounts.models import User
from reviews.audit import audit_view
from reviews.meeting_models import ActionArising, MeetingPaper, PanelMeeting
from reviews.permissions import ReviewAccess, change_refused, panel_get_for_user, review_get_for_user


def meeting_get_for_user(
    user: User, review_pk: int, pk: int, *, write: bool = False
) -> tuple[ReviewAccess, PanelMeeting]:
    """One meeting of the review; reading it (its minutes) is recorded."""
    access = panel_get_for_user(user, review_pk, write=write)
    meeting = PanelMeeting.objects.filter(review=access.review, pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    meeting.review = access.review
    audit_view(actor=user, action="panel_meeting.viewed", obj=meeting, review=access.review)
    return access, meeting


def paper_get_for_user(
    user: User, review_pk: int, meeting_pk: int, pk: int
) -> tuple[ReviewAccess, PanelMeeting, MeetingPaper]:
    """A paper of a meeting, to take it off the meeting's list (the chair's and board's)."""
    access, meeting = meeting_get_for_user(user, review_pk, meeting_pk, write=True)
    paper = MeetingPaper.objects.filter(meeting=meeting, pk=pk).first()
    if paper is None:
        raise Http404("No such paper")
    return access, meeting, paper


def action_arising_get_for_user(
    user: User, review_pk: int, meeting_pk: int, pk: int
) -> tuple[ReviewAccess, ActionArising]:
    """An action arising, to mark it done or not done: its owner (any member of the review, who
    may not read the meeting itself) or whoever edits the meetings. Anyone else in the review who
    may read the meeting is refused (403); anyone who may not read it gets 404."""
    access = review_get_for_user(user, review_pk)
    action = (
        ActionArising.objects.select_related("meeting", "owner")
        .filter(meeting__review=access.review, meeting_id=meeting_pk, pk=pk)
        .first()
    )
    is_owner = action is not None and action.owner_id == user.pk
    if action is None or not (is_owner or access.is_panel):
        raise Http404("No such action arising")
    if access.is_archived or not (is_owner or access.can_manage):
        raise change_refused(access)
    action.meeting.review = access.review
    return access, action
