"""Forms of the family reading the draft: the chair's invitation with the versions chosen from each
document's history, the reader's comment, and the family's response as the chair records it."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from reports.family_models import FamilyReader
from reports.family_selectors import VersionChoice
from reports.models import Document, SectionRevision
from reviews.validators import one_line

WHOLE_DOCUMENT = ""


class FamilyReaderInviteForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        validators=[one_line("The name")],
        help_text="The family member or their advocate, as you address them.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    relationship = forms.CharField(
        max_length=200,
        validators=[one_line("The relationship")],
        help_text="For example “the victim's sister”, or “advocate (AAFDA)”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        help_text="We email this address a link to create an account; it works once, for 7 days at most.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    access_until = forms.DateField(
        label="Access ends after",
        help_text="The last day they may read the draft and comment. They can be withdrawn earlier.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, choices: dict[Document, list[VersionChoice]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents = list(choices)
        for document, offered in choices.items():
            self.fields[f"{document.kind}_version"] = forms.ChoiceField(
                label=f"Version of the {document.get_kind_display().lower()}",
                choices=[(choice.value, choice.label) for choice in offered],
                help_text="From the document's history: what they read is that version, whatever changes later.",
            )

    def versions(self) -> dict[Document, str]:
        return {document: self.cleaned_data[f"{document.kind}_version"] for document in self.documents}


class FamilyCommentForm(forms.Form):
    section = forms.ChoiceField(label="About", required=False)
    text = forms.CharField(
        label="Your comment",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Only the review's chair reads your comments.",
    )

    def __init__(self, *args: Any, revisions: list[SectionRevision], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        titles = list(dict.fromkeys(revision.title for revision in revisions))
        cast(forms.ChoiceField, self.fields["section"]).choices = [
            (WHOLE_DOCUMENT, "The whole document"),
            *[(title, title) for title in titles],
        ]


class FamilyResponseForm(forms.Form):
    reader = forms.ModelChoiceField(
        label="From",
        queryset=FamilyReader.objects.none(),
        required=False,
        empty_label="Not through casereview (a meeting, a letter, an advocate)",
        help_text="The family reader it came from, if it came through casereview.",
    )
    response = forms.CharField(
        label="The family's response",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the family said about the draft, in their words where they agreed to that.",
    )
    changes = forms.CharField(
        label="How the report changed as a result",
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, readers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["reader"]).queryset = readers
