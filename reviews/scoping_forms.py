"""Forms of the scoping page. They only parse: the services check the dates against each other
and against the review, and name each problem at its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from reviews.forms import DateInput
from reviews.models import Agency
from reviews.scoping_models import ScopingRecord


class _AgencyChoiceForm(forms.Form):
    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields[self.agency_field]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = agencies

    agency_field = "agency"


class NotificationForm(_AgencyChoiceForm):
    prefix = "notification"
    agency_field = "notifying_agency"
    received_on = forms.DateField(label="Date the notification was received", widget=DateInput())
    notified_by = forms.CharField(
        label="Notified by", max_length=200, help_text="The person who made the notification and their role."
    )
    notifying_agency = forms.ModelChoiceField(
        label="From agency", queryset=Agency.objects.none(), required=False, empty_label="Not from an agency"
    )
    circumstances = forms.CharField(label="Summary of the circumstances", widget=forms.Textarea(attrs={"rows": 5}))


class InformationForm(_AgencyChoiceForm):
    prefix = "information"
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())
    requested_on = forms.DateField(label="Requested on", widget=DateInput())
    received_on = forms.DateField(label="Received on", widget=DateInput(), required=False)
    summary = forms.CharField(
        label="What the agency said",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="A short summary of its contact with the people in the case. Needed once it is received.",
    )


class DecisionForm(forms.Form):
    prefix = "decision"
    decision = forms.ChoiceField(label="Decision", choices=ScopingRecord.Decision.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label="Date of the decision", widget=DateInput())
    reasons = forms.CharField(label="Reasons for the decision", widget=forms.Textarea(attrs={"rows": 5}))
