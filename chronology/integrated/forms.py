"""The integrated chronology's forms: asking for a version, key episodes, and the table's filters."""

from __future__ import annotations

from typing import cast

from django import forms

from chronology.models import IntegratedChronology
from reviews.forms import DateInput
from reviews.models import Agency, Review


class BuildForm(forms.Form):
    include_submitted = forms.BooleanField(
        label="Also include chronologies submitted but not yet accepted", required=False
    )


class EpisodeForm(forms.Form):
    title = forms.CharField(
        max_length=200, help_text="For example \u201cThe first key episode: August to October 2010\u201d."
    )
    start = forms.DateField(widget=DateInput())
    end = forms.DateField(widget=DateInput())


YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]


class FilterForm(forms.Form):
    """The table's filters. Every one is a GET parameter, so a filtered view can be bookmarked
    and shared with the panel."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    agency = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    person = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    event = forms.CharField(label="Event type", required=False, max_length=100)
    episode = forms.TypedChoiceField(label="Key episode", required=False, coerce=int, empty_value=None)
    significant = forms.ChoiceField(required=False, choices=YES_NO)
    scope = forms.ChoiceField(
        label="Review period", required=False, choices=[("", "Any"), ("in", "Inside"), ("out", "Outside")]
    )
    linked = forms.ChoiceField(
        label="Suggested links", required=False, choices=[("", "Any"), ("linked", "Linked"), ("unlinked", "Not linked")]
    )
    group = forms.ChoiceField(label="Group by", required=False, choices=[("", "Date only"), ("episode", "Key episode")])
    names = forms.ChoiceField(
        required=False, choices=[("designations", "Designations"), ("real", "Real names")], initial="designations"
    )

    def __init__(self, *args, review: Review, chronology: IntegratedChronology, **kwargs):
        super().__init__(*args, **kwargs)
        # The version's agencies, from the directory (not a DISTINCT over every entry).
        agencies = (
            Agency.objects.filter(partnership_id=review.partnership_id, name__in=chronology.agency_names)
            .order_by("name")
            .values_list("pk", "name")
        )
        cast(forms.ChoiceField, self.fields["agency"]).choices = [("", "All agencies"), *agencies]
        people = review.people.values_list("pk", "designation")
        episodes = review.episodes.values_list("pk", "title")
        cast(forms.ChoiceField, self.fields["person"]).choices = [("", "Anyone"), *people]
        cast(forms.ChoiceField, self.fields["episode"]).choices = [("", "Any"), *episodes]
