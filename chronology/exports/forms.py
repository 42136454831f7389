from __future__ import annotations

from django import forms

from chronology.models import ChronologyExport


class ExportForm(forms.Form):
    """An export of a built version: its format, and whether it shows designations or real names."""

    fmt = forms.ChoiceField(label="Format", choices=ChronologyExport.Format.choices)
    names = forms.ChoiceField(choices=ChronologyExport.Names.choices, initial=ChronologyExport.Names.DESIGNATIONS)

    def clean(self) -> dict[str, str | None]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        return {"fmt": cleaned.get("fmt"), "names": cleaned.get("names")}
