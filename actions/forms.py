from __future__ import annotations

from typing import cast

from django import forms

from accounts.models import User
from actions.models import Action, Recommendation, Theme
from actions.services import PROGRESS_STATUSES
from reviews import clocks
from reviews.forms import DateInput
from reviews.models import Agency, Imr, Review, ReviewMembership

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class AgencyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class ImrChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Imr) -> str:
        return f"IMR of {obj.agency.name}"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class RecommendationForm(forms.Form):
    number = forms.IntegerField(
        min_value=1, required=False, help_text="Leave blank to number it after the last recommendation."
    )
    text = forms.CharField(label="Recommendation", widget=forms.Textarea(attrs={"rows": 4}))
    source = forms.ChoiceField(choices=Recommendation.Source.choices)
    imr = ImrChoiceField(
        queryset=Imr.objects.none(), required=False, label="IMR", help_text="When the source is an IMR."
    )
    multi_agency = forms.BooleanField(label="Multi-agency", required=False)
    agencies = AgencyMultipleChoiceField(
        queryset=Agency.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    scope = forms.ChoiceField(choices=Recommendation.Scope.choices)
    theme = forms.ModelChoiceField(queryset=Theme.objects.none(), required=False)
    expected_outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        imr = cast(forms.ModelChoiceField, self.fields["imr"])
        imr.queryset = review.imrs.select_related("agency").order_by("agency__name")
        agencies = cast(forms.ModelMultipleChoiceField, self.fields["agencies"])
        agencies.queryset = Agency.objects.filter(partnership=review.partnership).order_by("name")
        theme = cast(forms.ModelChoiceField, self.fields["theme"])
        theme.queryset = Theme.objects.filter(partnership=review.partnership).order_by("name")

    @staticmethod
    def initial_for(recommendation: Recommendation) -> dict:
        return {
            "number": recommendation.number,
            "text": recommendation.text,
            "source": recommendation.source,
            "imr": recommendation.imr_id,
            "multi_agency": recommendation.multi_agency,
            "agencies": list(recommendation.agencies.all()),
            "scope": recommendation.scope,
            "theme": recommendation.theme_id,
            "expected_outcome": recommendation.expected_outcome,
        }


EDITABLE_STATUS_CHOICES = [(value, label) for value, label in Action.Status.choices if value != Action.Status.ASSURED]


class ActionForm(forms.Form):
    text = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}))
    lead_agency = AgencyChoiceField(queryset=Agency.objects.none())
    owner = UserChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="An action owner of the lead agency in this review. Left blank, all of them are reminded.",
    )
    target_date = forms.DateField(widget=DateInput(), input_formats=DATE_FORMATS)
    status = forms.ChoiceField(choices=EDITABLE_STATUS_CHOICES, initial=Action.Status.NOT_STARTED)
    completed_on = forms.DateField(
        label="Date of completion", widget=DateInput(), input_formats=DATE_FORMATS, required=False
    )
    outcome = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        lead_agency = cast(forms.ModelChoiceField, self.fields["lead_agency"])
        lead_agency.queryset = Agency.objects.filter(partnership=review.partnership).order_by("name")
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = User.objects.filter(
            review_memberships__review=review, review_memberships__role=ReviewMembership.Role.ACTION_OWNER
        ).distinct()


class MilestoneForm(forms.Form):
    text = forms.CharField(label="Milestone", max_length=300)
    due_date = forms.DateField(label="Due by", widget=DateInput(), input_formats=DATE_FORMATS, required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ProgressForm(forms.Form):
    text = forms.CharField(label="Progress", widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(
        choices=[(value, label) for value, label in Action.Status.choices if value in PROGRESS_STATUSES]
    )
    completed_on = forms.DateField(
        label="Date of completion",
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        required=False,
        help_text="When complete; today if left blank.",
    )
    outcome = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="When complete: what has changed."
    )
    # Django moves declared fields off the class, so this does not replace the form's own `files`.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Evidence",
        required=False,
        help_text="PDF, Word (.docx), Excel (.xlsx), PNG, JPEG or GIF; several files at once if you like.",
    )


class AssureForm(forms.Form):
    note = forms.CharField(
        label="Assurance note", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class ThemeForm(forms.Form):
    name = forms.CharField(label="New theme", max_length=120)


class ClockExtensionForm(forms.Form):
    milestone = forms.ChoiceField()
    due_date = forms.DateField(label="Extended due date", widget=DateInput(), input_formats=DATE_FORMATS)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["milestone"]).choices = [
            (rule.key, rule.label) for rule in clocks.rules_for(review.review_type)
        ]


class ClockMetForm(forms.Form):
    milestone = forms.ChoiceField()
    met_on = forms.DateField(
        label="Met on", widget=DateInput(), input_formats=DATE_FORMATS, required=False, help_text="Blank to clear."
    )

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["milestone"]).choices = [
            (rule.key, rule.label) for rule in clocks.rules_for(review.review_type) if rule.met_field is None
        ]


class DashboardFilterForm(forms.Form):
    review_type = forms.ChoiceField(label="Type", required=False)
    stage = forms.ChoiceField(required=False)
    agency = forms.TypedChoiceField(label="Lead agency", required=False, coerce=int, empty_value=None)
    theme = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args, agencies, themes, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["review_type"]).choices = [("", "All types"), *Review.Type.choices]
        cast(forms.ChoiceField, self.fields["stage"]).choices = [("", "All stages"), *Review.Stage.choices]
        cast(forms.ChoiceField, self.fields["agency"]).choices = [("", "All agencies")] + [
            (a.pk, a.name) for a in agencies
        ]
        cast(forms.ChoiceField, self.fields["theme"]).choices = [("", "All themes")] + [(t.pk, t.name) for t in themes]


class ReminderHourForm(forms.Form):
    reminder_hour = forms.IntegerField(
        label="Hour reminders are sent",
        min_value=0,
        max_value=23,
        help_text="0 (midnight) to 23 (11 pm), UK time: reminders go out at a quarter past this hour.",
        error_messages={
            "required": "Enter the hour reminders are sent, from 0 to 23.",
            "invalid": "The hour reminders are sent is a whole number from 0 (midnight) to 23 (11 pm).",
            "min_value": "The hour reminders are sent is a whole number from 0 (midnight) to 23 (11 pm).",
            "max_value": "The hour reminders are sent is a whole number from 0 (midnight) to 23 (11 pm).",
        },
    )
