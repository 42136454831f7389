from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms.models import fields_for_model, model_to_dict

from accounts.models import User
from reports.forms import NumberField, TextField
from reviews.models import Agency, Imr, Partnership, Person, Review, ReviewMembership
from reviews.validators import one_line


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def form_add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's validation errors on the form fields they name, so each is told at its field
    (and the page's error summary links there). A form whose fields are named otherwise than the
    service's arguments maps them in ``service_fields`` (service's name: form's name)."""
    if hasattr(exc, "error_dict"):
        names: dict[str, str] = getattr(form, "service_fields", {})
        for name, errors in exc.message_dict.items():
            field = names.get(name, name)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ModelParserForm(forms.Form):
    """A form whose fields are a model's, and which only parses them. Unlike a ModelForm it never
    copies the input onto the object nor runs the model's validation: the service validates the
    object as a whole, names each problem in its own words, and compares before with after for
    the audit entry. ``instance`` gives the initial values and stays as it was."""

    model_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, instance: models.Model | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None:
            kwargs["initial"] = {**model_to_dict(instance, fields=self.model_fields), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


_REVIEW_FIELDS = (
    "reference",
    "review_type",
    "case_name",
    "stage",
    "incident_date",
    "notification_date",
    "decision_date",
    "scope_start",
    "scope_end",
    "terms_of_reference",
    "report_author",
)
_review = fields_for_model(
    Review,
    fields=_REVIEW_FIELDS,
    widgets={
        "incident_date": DateInput(),
        "notification_date": DateInput(),
        "decision_date": DateInput(),
        "scope_start": DateInput(),
        "scope_end": DateInput(),
        "terms_of_reference": forms.Textarea(attrs={"rows": 8}),
    },
)
_person = fields_for_model(
    Person, fields=("real_name", "date_of_birth", "relationship", "designation"), widgets={"date_of_birth": DateInput()}
)
_imr = fields_for_model(Imr, fields=("due_date", "author", "signing_off_manager"), widgets={"due_date": DateInput()})
_agency = fields_for_model(Agency, fields=("name", "kind"))


class ReviewForm(ModelParserForm):
    instance: Review | None
    model_fields = _REVIEW_FIELDS
    reference = _review["reference"]
    review_type = _review["review_type"]
    case_name = _review["case_name"]
    stage = _review["stage"]
    incident_date = _review["incident_date"]
    notification_date = _review["notification_date"]
    decision_date = _review["decision_date"]
    scope_start = _review["scope_start"]
    scope_end = _review["scope_end"]
    terms_of_reference = _review["terms_of_reference"]
    report_author = forms.CharField(
        label=_review["report_author"].label,
        max_length=200,
        required=False,
        help_text=_review["report_author"].help_text,
        validators=[one_line("The author")],
    )
    key_lines = forms.CharField(
        label="Key lines of enquiry",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One per line. Each agency's IMR answers them in this order. Every agency is asked a new line "
        "until you choose the agencies it is for (on the review's page, once the lines are saved).",
    )

    def __init__(self, *args: Any, partnerships: QuerySet[Partnership] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and self.instance.pk:
            self.initial.setdefault("key_lines", "\n".join(self.instance.key_lines.values_list("text", flat=True)))
        # A review closes as not proceeding by the scoping decision, with its reasons, not here.
        stage = cast(forms.ChoiceField, self.fields["stage"])
        stage.choices = [
            (value, label) for value, label in Review.Stage.choices if value != Review.Stage.NOT_PROCEEDING
        ]
        if partnerships is not None:
            self.fields["partnership"] = forms.ModelChoiceField(queryset=partnerships, empty_label=None)
            self.order_fields(["partnership"])


class PersonForm(ModelParserForm):
    instance: Person | None
    model_fields = ("real_name", "date_of_birth", "relationship", "designation")
    real_name = _person["real_name"]
    aliases_text = forms.CharField(
        label="Aliases",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Other names the person is recorded under, one per line. Publication versions replace them too.",
    )

    confirmed_text = forms.CharField(
        label="English words that always mean this person",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "A name, alias or part of the name that is also an ordinary English word (“Jade”, “Will”), one per line, "
            "when in this review it always means this person: its capitalised uses are then replaced by the "
            "designation instead of being found for you to decide. In lower case it is left as written."
        ),
    )
    date_of_birth = _person["date_of_birth"]
    relationship = _person["relationship"]
    designation = _person["designation"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None and self.instance.pk:
            self.initial.setdefault("aliases_text", "\n".join(self.instance.aliases))
            self.initial.setdefault("confirmed_text", "\n".join(self.instance.confirmed_names))


class MembershipForm(forms.Form):
    email = forms.EmailField(
        help_text="The person's work email address. Without a casereview account they are invited to make one."
    )
    role = forms.ChoiceField(choices=ReviewMembership.Role.choices, initial=ReviewMembership.Role.PANEL)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), required=False, help_text="For IMR authors and action owners only."
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = Agency.objects.filter(
            partnership=partnership
        ).order_by("name")


class ImrRequestForm(forms.Form):
    # A new agency's problems, told by services.agency_create, belong to the new agency's fields.
    service_fields = {"name": "new_agency_name", "kind": "new_agency_kind"}

    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), required=False)
    new_agency_name = forms.CharField(
        label="Or add an agency to the directory",
        required=False,
        max_length=200,
        validators=[one_line("The agency's name")],
    )
    new_agency_kind = forms.ChoiceField(label="Kind of new agency", choices=Agency.Kind.choices, required=False)
    due_date = forms.DateField(widget=DateInput(), required=False)

    def __init__(self, *args, review: Review, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = (
            Agency.objects.filter(partnership_id=review.partnership_id).exclude(imrs__review=review).order_by("name")
        )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        if "agency" in self.errors or "new_agency_name" in self.errors:
            return cleaned
        chosen, named = cleaned.get("agency"), cleaned.get("new_agency_name", "").strip()
        if not chosen and not named:
            self.add_error("agency", "Choose an agency from the directory, or name a new one.")
        elif chosen and named:
            self.add_error(
                "new_agency_name", "Leave the new agency's name empty when you choose one from the directory."
            )
        return cleaned


class ImrEditForm(ModelParserForm):
    model_fields = ("due_date", "author", "signing_off_manager")
    due_date = _imr["due_date"]
    author = _imr["author"]
    signing_off_manager = _imr["signing_off_manager"]

    def __init__(self, *args: Any, instance: Imr, **kwargs: Any) -> None:
        super().__init__(*args, instance=instance, **kwargs)
        author = self.fields["author"]
        assert isinstance(author, forms.ModelChoiceField)
        author.queryset = User.objects.filter(
            review_memberships__review_id=instance.review_id,
            review_memberships__role=ReviewMembership.Role.IMR_AUTHOR,
            review_memberships__agency_id=instance.agency_id,
        )
        author.help_text = "Add the author to the review as an IMR author for this agency first."


class AgencyForm(ModelParserForm):
    model_fields = ("name", "kind")
    name = _agency["name"]
    kind = _agency["kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].validators.append(one_line("The agency's name"))


class NarrativeForm(forms.Form):
    """The narrative page's own form: the single-agency recommendations (each answer to a key
    line of enquiry is saved by its own form, ``AnswerSaveForm``)."""

    recommendations = forms.CharField(
        label="Single-agency recommendations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What your agency will change. Separate recommendations with a blank line.",
    )


class AnswerSaveForm(forms.Form):
    """An answer's save: by the editor's script (autosave or a typed save, an id per attempt) or
    by its form without it. Parsed only: the service judges the values."""

    body = TextField()
    base_version = NumberField()
    save_id = TextField()
    autosave = TextField()

    def clean_autosave(self) -> bool:
        return self.cleaned_data["autosave"] == "1"


class ImrSubmitForm(forms.Form):
    """Submitting the IMR: the manager who signs it off, by name and role (the service refuses
    either missing, at its field)."""

    signing_off_manager = forms.CharField(
        label="Signing-off manager's name", max_length=200, required=False, validators=[one_line("The name")]
    )
    signing_off_manager_role = forms.CharField(
        label="Their role",
        max_length=200,
        required=False,
        validators=[one_line("The role")],
        help_text="For example: Head of Safeguarding, Detective Superintendent.",
    )


class KeyLineAddressForm(forms.Form):
    """Who each key line of enquiry is asked of: a box per agency; none ticked, every agency."""

    def __init__(self, *args: Any, lines: list[Any], agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        choices = [(agency.pk, agency.name) for agency in agencies]
        for item in lines:
            name = f"line_{item.key_line.pk}"
            self.fields[name] = forms.TypedMultipleChoiceField(
                label=f"{item.key_line.position}. {item.key_line.text}",
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text="Tick none to ask every agency.",
            )
            self.initial.setdefault(name, sorted(item.chosen))

    def chosen(self) -> dict[int, list[int]]:
        return {item.key_line.pk: self.cleaned_data[f"line_{item.key_line.pk}"] for item in self.lines}


class NilReturnForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: the agency's records hold no contact with any of the people in this review.",
    )


class ImrReturnForm(forms.Form):
    """Returning an IMR for clarification: a question about the whole, and one per entry (each
    optional; the service wants at least one). A problem is told at the first question's field."""

    question = forms.CharField(
        label="A question about the IMR as a whole", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, entries: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"entry_{entry.pk}"] = forms.CharField(
                label=f"Question about the entry for {entry.date_display}", required=False
            )

    def entry_rows(self) -> list[tuple[Any, forms.BoundField]]:
        return [(entry, self[f"entry_{entry.pk}"]) for entry in self.entries]

    def entry_questions(self) -> dict[int, str]:
        return {entry.pk: self.cleaned_data[f"entry_{entry.pk}"] for entry in self.entries}


class ArchiveForm(forms.Form):
    """Archiving a review: the date until which its personal data is kept."""

    retain_until = forms.DateField(
        label="Keep personal data until",
        widget=DateInput,
        error_messages={"required": "Give the date until which the personal data is kept.",
                        "invalid": "Give the date until which the personal data is kept, as a date."},
    )  # fmt: skip


class PurgeForm(forms.Form):
    """Purging an archived review's personal data now: confirmed by typing its reference."""

    confirm = forms.CharField(required=False)

    def __init__(self, *args: Any, reference: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reference = reference
        self.fields["confirm"].label = f"Type {reference} to purge now"

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"].strip()
        if typed != self.reference:
            raise ValidationError(f"To purge the personal data, type the reference {self.reference} exactly.")
        return typed
