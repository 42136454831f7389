"""Forms of the panel meetings' pages. They parse what was typed; the services judge it and name
each problem at its field (reviews.forms.form_add_service_errors)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from reviews.forms import DateInput, lines
from reviews.meeting_models import MeetingAttendance, PanelMeeting
from reviews.meeting_services import AttendanceRecord, MeetingDetails, meeting_details_check
from reviews.models import Agency


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MeetingForm(forms.Form):
    """When and where the panel meets, the agenda and (after the meeting) its decisions."""

    date = forms.DateField(
        label="Date", widget=DateInput(), error_messages={"required": "Give the date of the meeting."}
    )
    time = forms.TimeField(
        label="Start time",
        widget=TimeInput(),
        help_text="24-hour clock, UK time.",
        error_messages={"required": "Give the time the meeting starts.", "invalid": "Give the time as HH:MM."},
    )
    place = forms.CharField(label="Place", max_length=300, required=False, help_text="A room and building, say.")
    link = forms.URLField(
        label="Online meeting link",
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Give the online meeting link as a web address starting https://."},
    )
    agenda = forms.CharField(
        label="Agenda",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="One item a line, in order.",
    )
    decisions = forms.CharField(
        label="Decisions",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One decision a line, as the panel took them.",
    )
    # The service's names for the fields it judges.
    service_fields = {"starts_at": "date"}

    def __init__(self, *args, scheduling: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if scheduling:  # decisions are taken at the meeting, and recorded by editing it afterwards
            del self.fields["decisions"]

    @classmethod
    def for_meeting(cls, meeting: PanelMeeting, agenda: Sequence[str]) -> MeetingForm:
        when = timezone.localtime(meeting.starts_at)
        initial = {
            "date": when.date(),
            "time": when.time().replace(second=0, microsecond=0),
            "place": meeting.place,
            "link": meeting.link,
            "agenda": "\n".join(agenda),
            "decisions": meeting.decisions,
        }
        return cls(initial=initial)

    def clean(self) -> dict:
        """The service's rules too, so a missing place is reported with a missing date."""
        cleaned = super().clean() or {}
        try:
            meeting_details_check(self.details())
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                field = self.service_fields.get(name, name)
                # A link given but not valid is reported at the link alone.
                place_for_bad_link = name == "place" and "link" in self.errors
                if field in self.fields and field not in self.errors and name != "starts_at" and not place_for_bad_link:
                    self.add_error(field, errors)
        return cleaned

    def details(self) -> MeetingDetails:
        data = self.cleaned_data
        starts_at = None
        if data.get("date") and data.get("time"):
            starts_at = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
        return MeetingDetails(
            starts_at=starts_at,
            place=data.get("place", ""),
            link=data.get("link", ""),
            agenda=lines(data.get("agenda", "")),
            decisions=data.get("decisions", ""),
        )


class AttendanceForm(forms.Form):
    """A status and an agency for each member of the panel."""

    def __init__(self, *args, members: Sequence[User], agencies: Sequence[Agency], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        status_choices = [("", "Not recorded"), *MeetingAttendance.Status.choices]
        agency_choices = [("", "Independent, or no agency")] + [(str(a.pk), a.name) for a in agencies]
        for user in self.members:
            self.fields[f"status_{user.pk}"] = forms.ChoiceField(
                label=f"{user.display_name}: attendance", choices=status_choices, required=False
            )
            self.fields[f"agency_{user.pk}"] = forms.ChoiceField(
                label=f"{user.display_name}: agency represented", choices=agency_choices, required=False
            )

    @staticmethod
    def initial_for(attendance: Sequence[MeetingAttendance]) -> dict[str, str]:
        initial: dict[str, str] = {}
        for row in attendance:
            initial[f"status_{row.user_id}"] = row.status
            initial[f"agency_{row.user_id}"] = str(row.agency_id or "")
        return initial

    def rows(self) -> list[tuple[User, forms.BoundField, forms.BoundField]]:
        return [(user, self[f"status_{user.pk}"], self[f"agency_{user.pk}"]) for user in self.members]

    def records(self) -> list[AttendanceRecord]:
        data = self.cleaned_data
        return [
            AttendanceRecord(
                user_id=user.pk,
                status=data.get(f"status_{user.pk}", ""),
                agency_id=int(data[f"agency_{user.pk}"]) if data.get(f"agency_{user.pk}") else None,
            )
            for user in self.members
        ]


class ActionArisingForm(forms.Form):
    description = forms.CharField(
        label="What is to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what is to be done."},
    )
    owner = forms.ChoiceField(label="Owner", error_messages={"required": "Choose who owns the action."})
    due_date = forms.DateField(
        label="Due date",
        widget=DateInput(),
        error_messages={"required": "Give the date the action is due.", "invalid": "Give the due date as a date."},
    )

    def __init__(self, *args, members: Sequence[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {user.pk: user for user in members}
        owner = cast(forms.ChoiceField, self.fields["owner"])
        owner.choices = [("", "Choose a member of the review")] + [
            (str(user.pk), user.display_name) for user in members
        ]
        self.fields["owner"].error_messages["invalid_choice"] = (
            "The owner chosen is not a member of this review: choose one of its members."
        )

    def chosen_owner(self) -> User | None:
        owner = self.cleaned_data.get("owner")
        return self.members.get(int(owner)) if owner else None


class ActionDoneForm(forms.Form):
    done = forms.ChoiceField(choices=[("yes", "Done"), ("no", "Not done")])
    next = forms.CharField(required=False)


class PaperForm(forms.Form):
    """A document of the review, or one ready file of it, to circulate for the meeting."""

    paper = forms.ChoiceField(label="Paper", error_messages={"required": "Choose a document or a file of it."})

    def __init__(self, *args, choices: Sequence[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["paper"]).choices = [("", "Choose a document or a file of it"), *choices]
        self.fields["paper"].error_messages["invalid_choice"] = (
            "Choose a document of this review or a ready file of it."
        )
