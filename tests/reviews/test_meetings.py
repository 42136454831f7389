"""Panel meetings: the chair schedules them, records attendance, writes the minutes in the
documents' editor (sanitised, versioned), circulates papers, records actions arising that reach
their owner's list until done; the next meeting approves the minutes. Bad input is refused at its
field with nothing saved, and every change is audited."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reviews import meeting_services
from reviews.meeting_models import ActionArising, MeetingAttendance, PanelMeeting
from reviews.meeting_services import AttendanceRecord, MeetingDetails, StaleMinutes
from reviews.models import AuditEntry
from tests.conftest import World

NOW = timezone.now()


def _meeting(world: World, *, days: float = -1, place: str = "Civic Centre, Room 4") -> PanelMeeting:
    return meeting_services.meeting_create(
        actor=world.chair, review=world.review,
        details=MeetingDetails(starts_at=NOW + datetime.timedelta(days=days), place=place, agenda=["Welcome", "IMRs"]),
    )  # fmt: skip


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Scheduling --------------------------------------------------------------------------------


def test_the_chair_schedules_a_meeting_with_its_agenda_in_order(world: World):
    response = _client(world.chair).post(
        reverse("reviews:meeting_create", args=[world.review.pk]),
        {"date": "2027-03-02", "time": "10:30", "place": "Civic Centre", "agenda": "Welcome\n\nIMRs received\nAOB"},
    )
    meeting = PanelMeeting.objects.get(review=world.review)
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2027-03-02 10:30"
    assert list(meeting.agenda_items.values_list("position", "title")) == [
        (1, "Welcome"), (2, "IMRs received"), (3, "AOB"),
    ]  # fmt: skip
    assert AuditEntry.objects.filter(action="panel_meeting.scheduled", review=world.review, actor=world.chair).exists()


def test_a_meeting_in_the_past_is_accepted_to_record_one_already_held(world: World):
    meeting = _meeting(world, days=-60)
    assert meeting.starts_at < NOW


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "", "time": "10:00", "place": "Room 1"}, "date", "Give the date of the meeting."),
        ({"date": "2027-03-02", "time": "", "place": "Room 1"}, "time", "Give the time the meeting starts."),
        ({"date": "2027-03-02", "time": "10:00", "place": "", "link": ""}, "place", "Give the place of the meeting"),
        ({"date": "2027-03-02", "time": "10:00", "link": "not a link"}, "link", "Give the online meeting link as a"),
        ({"date": "2027-02-30", "time": "10:00", "place": "Room 1"}, "date", "Enter a valid date."),
    ],
)
def test_a_meeting_with_a_missing_or_bad_field_is_refused_at_that_field(world: World, data, field, message):
    response = _client(world.chair).post(reverse("reviews:meeting_create", args=[world.review.pk]), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert not PanelMeeting.objects.exists()


def test_an_agenda_item_too_long_is_refused_naming_it(world: World):
    with pytest.raises(ValidationError) as refused:
        meeting_services.meeting_create(
            actor=world.chair, review=world.review,
            details=MeetingDetails(starts_at=NOW, link="https://meet.example/abc", agenda=["Welcome", "x" * 301]),
        )  # fmt: skip
    assert refused.value.message_dict["agenda"] == ["Agenda item 2 is longer than 300 characters: shorten it."]
    assert not PanelMeeting.objects.exists()


def test_editing_a_meeting_replaces_its_agenda_and_records_decisions(world: World):
    meeting = _meeting(world)
    response = _client(world.chair).post(
        reverse("reviews:meeting_edit", args=[world.review.pk, meeting.pk]),
        {"date": "2026-11-02", "time": "14:00", "link": "https://meet.example/panel", "agenda": "Chronology",
         "decisions": "Extend the review period to 2019.\nAsk the GP practice for an IMR."},
    )  # fmt: skip
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "" and meeting.link == "https://meet.example/panel"
    assert meeting.decision_list == ["Extend the review period to 2019.", "Ask the GP practice for an IMR."]
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Chronology"]
    entry = AuditEntry.objects.get(action="panel_meeting.changed")
    assert entry.detail["changed"]["link"] == ["", "https://meet.example/panel"]


# --- Attendance ----------------------------------------------------------------------------------


def test_attendance_is_recorded_per_panel_member_with_their_agency(world: World):
    meeting = _meeting(world)
    response = _client(world.chair).post(
        reverse("reviews:meeting_attendance", args=[world.review.pk, meeting.pk]),
        {f"status_{world.chair.pk}": "present", f"status_{world.panel.pk}": "apologies",
         f"agency_{world.panel.pk}": str(world.agency_a.pk)},
    )  # fmt: skip
    assert response.status_code == 302
    rows = {row.user_id: (row.status, row.agency_id) for row in MeetingAttendance.objects.filter(meeting=meeting)}
    assert rows == {world.chair.pk: ("present", None), world.panel.pk: ("apologies", world.agency_a.pk)}
    page = _client(world.panel).get(meeting.get_absolute_url()).content.decode()
    assert "Apologies" in page and world.agency_a.name in page


def test_attendance_of_someone_not_on_the_panel_or_of_another_boards_agency_is_refused(world: World):
    meeting = _meeting(world)
    with pytest.raises(ValidationError, match="chair and panel members"):
        meeting_services.meeting_attendance_save(
            actor=world.chair, meeting=meeting, records=[AttendanceRecord(world.author_a.pk, "present")]
        )
    from tests.factories import AgencyFactory

    elsewhere = AgencyFactory(partnership=world.other_review.partnership, name="Southshire Police")
    with pytest.raises(ValidationError) as refused:
        meeting_services.meeting_attendance_save(
            actor=world.chair, meeting=meeting, records=[AttendanceRecord(world.panel.pk, "present", elsewhere.pk)]
        )
    assert refused.value.message_dict == {f"agency_{world.panel.pk}": ["Choose an agency of this partnership."]}
    assert not MeetingAttendance.objects.exists()


# --- Minutes -------------------------------------------------------------------------------------


def _save_minutes(client: Client, meeting: PanelMeeting, body: str, base: int, save_id: str = ""):
    return client.post(
        reverse("reviews:meeting_minutes", args=[meeting.review_id, meeting.pk]),
        {"body": body, "base_version": str(base), "save_id": save_id, "autosave": "1"},
        headers={"accept": "application/json"},
    )


def test_minutes_are_sanitised_versioned_and_a_save_sent_twice_is_answered_once(world: World):
    meeting = _meeting(world)
    chair = _client(world.chair)
    body = '<p onclick="x()">Present: <strong>all</strong></p><script>alert(1)</script>'
    first = _save_minutes(chair, meeting, body, 0, save_id="a1b2c3d4-0001")
    assert first.status_code == 200 and json.loads(first.content)["version"] == 1
    again = _save_minutes(chair, meeting, body + "<p>more</p>", 0, save_id="a1b2c3d4-0001")
    assert json.loads(again.content)["version"] == 1  # the retried save, not a conflict with oneself
    meeting.refresh_from_db()
    assert meeting.minutes == "<p>Present: <strong>all</strong></p>"
    assert "script" not in meeting.minutes and "onclick" not in meeting.minutes


def test_minutes_saved_over_someone_elses_newer_version_are_refused_with_both_texts(world: World):
    meeting = _meeting(world)
    meeting_services.meeting_minutes_save(
        actor=world.board_admin, meeting=meeting, text="<p>Theirs</p>", base_version=0
    )
    response = _save_minutes(_client(world.chair), meeting, "<p>Mine</p>", 0)
    assert response.status_code == 409
    payload = json.loads(response.content)
    assert payload["theirs"] == "<p>Theirs</p>" and payload["mine"] == "<p>Mine</p>" and payload["version"] == 1
    meeting.refresh_from_db()
    assert meeting.minutes == "<p>Theirs</p>"


def test_plain_text_minutes_without_the_editor_become_paragraphs(world: World):
    meeting = _meeting(world)
    response = _client(world.chair).post(
        reverse("reviews:meeting_minutes", args=[world.review.pk, meeting.pk]),
        {"body": "Item 1 < item 2\n\nAgreed.", "base_version": "0"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes == "<p>Item 1 &lt; item 2</p><p>Agreed.</p>"


def test_the_next_meeting_approves_the_minutes_which_then_cannot_change(world: World):
    first = _meeting(world, days=-30)
    meeting_services.meeting_minutes_save(actor=world.chair, meeting=first, text="<p>Agreed.</p>", base_version=0)
    second = _meeting(world, days=-1)
    page = _client(world.panel).get(first.get_absolute_url()).content.decode()
    assert "Draft" in page
    response = _client(world.chair).post(reverse("reviews:meeting_minutes_approve", args=[world.review.pk, second.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.minutes_approved_by == world.chair and first.minutes_approved_at_meeting == second
    page = _client(world.panel).get(first.get_absolute_url()).content.decode()
    assert "Approved as a true record at meeting 2" in page
    refused = _save_minutes(_client(world.chair), first, "<p>Changed.</p>", 1)
    assert refused.status_code == 400 and "can no longer be changed" in json.loads(refused.content)["error"]
    assert AuditEntry.objects.filter(action="panel_meeting.minutes_approved", object_id=str(first.pk)).exists()


def test_minutes_are_not_approved_at_a_meeting_to_come_nor_at_the_first(world: World):
    first = _meeting(world, days=-30)
    meeting_services.meeting_minutes_save(actor=world.chair, meeting=first, text="<p>Agreed.</p>", base_version=0)
    with pytest.raises(ValidationError, match="first meeting"):
        meeting_services.meeting_minutes_approve(actor=world.chair, meeting=first, now=NOW)
    later = _meeting(world, days=7)
    with pytest.raises(ValidationError, match="has not started yet"):
        meeting_services.meeting_minutes_approve(actor=world.chair, meeting=later, now=NOW)
    first.refresh_from_db()
    assert first.minutes_approved_at is None


# --- Actions arising -----------------------------------------------------------------------------


def _action_post(world: World, meeting: PanelMeeting, **data):
    values = {"description": "Ask the GP for records.", "owner": str(world.panel.pk),
              "due_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(), **data}  # fmt: skip
    return _client(world.chair).post(
        reverse("reviews:action_arising_create", args=[world.review.pk, meeting.pk]), values
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"description": ""}, "description", "Say what is to be done."),
        ({"owner": ""}, "owner", "Choose who owns the action."),
        ({"due_date": ""}, "due_date", "Give the date the action is due."),
        ({"due_date": "2020-01-01"}, "due_date", "The due date is before the meeting"),
    ],
)
def test_an_action_arising_with_a_missing_or_bad_field_is_refused_at_that_field(world: World, data, field, message):
    response = _action_post(world, _meeting(world), **data)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert not ActionArising.objects.exists()


def test_an_action_arising_owned_by_someone_outside_the_review_is_refused(world: World):
    response = _action_post(world, _meeting(world), owner=str(world.outsider.pk))
    assert response.status_code == 400
    assert response.context["form"].errors["owner"] == [
        "The owner chosen is not a member of this review: choose one of its members."
    ]
    with pytest.raises(ValidationError) as refused:
        meeting_services.action_arising_add(
            actor=world.chair, meeting=_meeting(world), description="x", owner=world.outsider,
            due_date=timezone.localdate(),
        )  # fmt: skip
    assert "is not a member of this review" in refused.value.message_dict["owner"][0]
    assert not ActionArising.objects.exists()


def test_an_action_arising_is_in_its_owners_list_until_marked_done_there(world: World):
    meeting = _meeting(world)
    assert _action_post(world, meeting, description="Bring the housing file.").status_code == 302
    panel = _client(world.panel)
    page = panel.get(reverse("actions:my_actions")).content.decode()
    assert "Bring the housing file." in page
    assert "Bring the housing file." not in _client(world.chair).get(reverse("actions:my_actions")).content.decode()
    action = ActionArising.objects.get()
    done = panel.post(
        reverse("reviews:action_arising_done", args=[world.review.pk, meeting.pk, action.pk]),
        {"done": "yes", "next": reverse("actions:my_actions")},
    )
    assert done.status_code == 302 and done.url == reverse("actions:my_actions")
    assert "Bring the housing file." not in panel.get(reverse("actions:my_actions")).content.decode()
    action.refresh_from_db()
    assert action.done_by == world.panel
    assert AuditEntry.objects.filter(action="action_arising.done", actor=world.panel).exists()


def test_an_imr_author_owning_an_action_marks_it_done_without_seeing_the_meeting(world: World):
    meeting = _meeting(world)
    _action_post(world, meeting, description="Send the IMR.", owner=str(world.author_a.pk))
    author = _client(world.author_a)
    page = author.get(reverse("actions:my_actions")).content.decode()
    assert "Send the IMR." in page
    assert f'href="{meeting.get_absolute_url()}"' not in page  # no link to a page they may not read
    assert author.get(meeting.get_absolute_url()).status_code == 404
    action = ActionArising.objects.get()
    response = author.post(reverse("reviews:action_arising_done", args=[world.review.pk, meeting.pk, action.pk]))
    assert response.status_code == 302 and response.url == reverse("actions:my_actions")
    action.refresh_from_db()
    assert action.is_done


# --- Papers ---------------------------------------------------------------------------------------


def test_papers_are_shown_only_to_those_who_may_read_them(world: World):
    from reports import document_services
    from reports.models import DocumentRender

    meeting = _meeting(world)
    document = document_services.document_create(review=world.review, kind="overview", actor=world.chair)
    panel_pdf = DocumentRender.objects.create(document=document, format="pdf", status="ready", fingerprint="a")
    publication = DocumentRender.objects.create(
        document=document, format="pdf", status="ready", fingerprint="b", publication=True
    )
    for render in (None, panel_pdf, publication):
        meeting_services.meeting_paper_add(actor=world.chair, meeting=meeting, document=document, render=render)
    publication_link = reverse("reports:render_download", args=[world.review.pk, document.pk, publication.pk])
    panel_link = reverse("reports:render_download", args=[world.review.pk, document.pk, panel_pdf.pk])
    chair_page = _client(world.chair).get(meeting.get_absolute_url()).content.decode()
    panel_page = _client(world.panel).get(meeting.get_absolute_url()).content.decode()
    assert publication_link in chair_page and panel_link in chair_page
    assert publication_link not in panel_page and panel_link in panel_page
    assert reverse("reports:document", args=[world.review.pk, document.pk]) in panel_page


def test_a_paper_of_another_review_or_a_file_not_ready_is_refused(world: World):
    from reports import document_services
    from reports.models import DocumentRender

    meeting = _meeting(world)
    elsewhere = document_services.document_create(review=world.other_review, kind="overview", actor=None)
    with pytest.raises(ValidationError, match="document of this review"):
        meeting_services.meeting_paper_add(actor=world.chair, meeting=meeting, document=elsewhere)
    document = document_services.document_create(review=world.review, kind="overview", actor=world.chair)
    queued = DocumentRender.objects.create(document=document, format="pdf", status="queued", fingerprint="a")
    with pytest.raises(ValidationError, match="ready"):
        meeting_services.meeting_paper_add(actor=world.chair, meeting=meeting, document=document, render=queued)
    response = _client(world.chair).post(
        reverse("reviews:meeting_papers", args=[world.review.pk, meeting.pk]), {"paper": f"document:{elsewhere.pk}"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["paper"] == ["Choose a document of this review or a ready file of it."]
    assert not meeting.papers.exists()


# --- Archived ------------------------------------------------------------------------------------


def test_an_archived_reviews_meetings_are_read_only_for_everyone_and_every_service(world: World):
    meeting = _meeting(world)
    action = meeting_services.action_arising_add(
        actor=world.chair, meeting=meeting, description="Return the school records.", owner=world.panel,
        due_date=timezone.localdate(),
    )  # fmt: skip
    world.review.archived_at = NOW
    world.review.save(update_fields=["archived_at"])
    assert _client(world.panel).get(meeting.get_absolute_url()).status_code == 200
    response = _client(world.panel).post(
        reverse("reviews:action_arising_done", args=[world.review.pk, meeting.pk, action.pk])
    )
    assert response.status_code == 403
    with pytest.raises(ValidationError, match="archived"):
        meeting_services.action_arising_mark(actor=world.panel, action=action, done=True, now=NOW)
    with pytest.raises(ValidationError, match="archived"):
        meeting_services.meeting_minutes_save(actor=world.chair, meeting=meeting, text="<p>x</p>", base_version=None)
    my_actions = _client(world.panel).get(reverse("actions:my_actions")).content.decode()
    assert (
        "Return the school records." in my_actions and 'name="done"' not in my_actions
    )  # listed, with no button to change it


def test_stale_minutes_say_who_saved_first(world: World):
    meeting = _meeting(world)
    meeting_services.meeting_minutes_save(actor=world.board_admin, meeting=meeting, text="<p>A</p>", base_version=0)
    with pytest.raises(StaleMinutes) as stale:
        meeting_services.meeting_minutes_save(actor=world.chair, meeting=meeting, text="<p>B</p>", base_version=0)
    assert world.board_admin.display_name in str(stale.value)
