"""Forms of the family involvement log. They parse what was typed; the services check it as a
whole and say which field is wrong (reviews.family_services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model

from reviews.family_models import FamilyContact, FamilyOffer, FamilyPseudonym
from reviews.family_selectors import contact_makers, register_people
from reviews.forms import DateInput, ModelParserForm
from reviews.models import Person, Review

_contact = fields_for_model(
    FamilyContact,
    fields=(
        "contact_date", "method", "advocate_organisation", "advocate_name", "consent_to_be_named",
        "consent_to_be_quoted", "review_response",
    ),
    widgets={"contact_date": DateInput(), "review_response": forms.Textarea(attrs={"rows": 3})},
)  # fmt: skip
_offer = fields_for_model(
    FamilyOffer,
    fields=("kind", "description", "made_on", "response", "response_date", "note"),
    widgets={"made_on": DateInput(), "response_date": DateInput(), "note": forms.Textarea(attrs={"rows": 3})},
)
_pseudonym = fields_for_model(FamilyPseudonym, fields=("pseudonym", "agreed_on"), widgets={"agreed_on": DateInput()})


class PersonChoiceField(forms.ModelChoiceField):
    """Someone in the register, shown as the chair knows them: designation and real name."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.designation} ({obj.real_name})"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def _person_field(review: Review, label: str, *, required: bool = True, help_text: str = "") -> PersonChoiceField:
    return PersonChoiceField(
        queryset=register_people(review), label=label, required=required, help_text=help_text,
        empty_label="Choose from the person register",
    )  # fmt: skip


class FamilyContactForm(ModelParserForm):
    """A contact. When adding one, someone not yet in the register can be added with it."""

    model_fields = (
        "person", "contact_date", "method", "contacted_by", "advocate_organisation", "advocate_name",
        "consent_to_be_named", "consent_to_be_quoted", "what_they_said", "review_response",
    )  # fmt: skip
    contact_date = _contact["contact_date"]
    method = _contact["method"]
    advocate_organisation = _contact["advocate_organisation"]
    advocate_name = _contact["advocate_name"]
    consent_to_be_named = _contact["consent_to_be_named"]
    consent_to_be_quoted = _contact["consent_to_be_quoted"]
    what_they_said = forms.CharField(
        label="What they said",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "family-richtext"}),
        help_text="Keep names as they are: anything published replaces them with designations.",
    )
    review_response = _contact["review_response"]

    def __init__(self, *args: Any, review: Review, adding: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = _person_field(review, "Who", required=not adding)
        self.fields["contacted_by"] = MemberChoiceField(
            queryset=contact_makers(review), label="Contact made by", empty_label="Choose a member of the review"
        )
        if adding:
            self.fields["person"].help_text = "Or, if they are not in the register yet, add them below."
            self.fields["new_person_real_name"] = forms.CharField(label="Real name", required=False, max_length=200)
            self.fields["new_person_designation"] = forms.CharField(
                label="Designation", required=False, max_length=100,
                help_text="How published documents refer to them, for example “the victim's aunt”.",
            )  # fmt: skip
            self.fields["new_person_relationship"] = forms.ChoiceField(
                label="Relationship", choices=Person.Relationship.choices, initial=Person.Relationship.FAMILY_MEMBER,
                required=False,
            )  # fmt: skip
        self.order_fields(
            ["person", "new_person_real_name", "new_person_designation", "new_person_relationship", "contact_date",
             "method", "contacted_by"]
        )  # fmt: skip


class FamilyOfferForm(ModelParserForm):
    model_fields = ("person", "kind", "description", "made_on", "response", "response_date", "note")
    kind = _offer["kind"]
    description = _offer["description"]
    made_on = _offer["made_on"]
    response = _offer["response"]
    response_date = _offer["response_date"]
    note = _offer["note"]

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = _person_field(review, "Offered to")
        self.order_fields(["person"])


class FamilyPseudonymForm(ModelParserForm):
    model_fields = ("subject", "pseudonym", "agreed_by", "agreed_on")
    pseudonym = _pseudonym["pseudonym"]
    agreed_on = _pseudonym["agreed_on"]

    def __init__(self, *args: Any, review: Review, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"] = _person_field(review, "For", help_text="Usually the victim.")
        self.fields[
            "pseudonym"
        ].help_text = (
            "It becomes this person's designation in the person register, so every published document uses it."
        )
        self.fields["agreed_by"] = _person_field(review, "Agreed by")
        self.order_fields(["subject", "pseudonym", "agreed_by", "agreed_on"])
