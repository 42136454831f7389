"""Forms of the submission page: the chair's mark on a checklist item and the panel's feedback."""

from __future__ import annotations

from django import forms

from reports.submission_models import SubmissionFeedback
from reviews.forms import DateInput


class CheckMarkForm(forms.Form):
    met = forms.TypedChoiceField(
        label="Met?",
        choices=[("yes", "Met"), ("no", "Not met")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose met or not met."},
    )
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the item is not met: say what is missing.",
    )  # fmt: skip


class FeedbackForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "Choose the outcome"), *SubmissionFeedback.Outcome.choices],
        error_messages={"required": "Choose the panel's outcome."},
    )
    received_on = forms.DateField(
        label="Date received",
        widget=DateInput(),
        error_messages={"required": "Give the date the feedback was received.", "invalid": "Enter a real date."},
    )
    text = forms.CharField(
        label="The panel's feedback",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        error_messages={"required": "Enter the panel's feedback."},
    )
