from __future__ import annotations

from django import forms

from chronology.importers import COLUMN_LABELS, ParsedRow, row_from_cells
from chronology.models import ChronologyEntry
from chronology.services import ImportMode


class EntryForm(forms.Form):
    """One chronology entry typed in the browser. It is checked by the importer's own row
    rules, so a typed entry and an uploaded one are held to exactly the same standard."""

    date = forms.CharField(
        max_length=60,
        help_text=(
            "As precise as the record allows: 09/08/2010, Aug 2010, Summer 2017, c. 2004, between 1 and 15 May 2012."
        ),
    )
    time = forms.CharField(required=False, max_length=8, help_text="HH:MM, 24-hour.")
    people = forms.CharField(label="Person(s)", required=False, help_text="Separate names with a semicolon (;).")
    source = forms.CharField(required=False, help_text="The record this comes from: system, document or reference.")
    practitioner = forms.CharField(label="Practitioner role", required=False, help_text="Their role, never their name.")
    event = forms.CharField(label="Event", required=False, help_text="Home visit, referral, strategy discussion...")
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="What happened: facts only.")
    outcome = forms.CharField(label="Action / outcome", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    comment = forms.CharField(
        label="IMR author's comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Your analysis, kept apart from the facts.",
    )
    significant = forms.BooleanField(label="Significant (a key event)", required=False)

    # What the row rules require; the form marks them "*" and says what that means.
    required_names = ("date", "details")

    def __init__(self, *args, key: str = "", **kwargs):
        # The Add form has the plain ids; a row edited in place has ids of its own (``key``: the
        # entry's id), so that its labels name its own fields, not the Add form's.
        kwargs.setdefault("auto_id", f"id_%s-{key}" if key else "id_%s")
        super().__init__(*args, **kwargs)
        self.required_note_id = f"entry-required-{key}" if key else "entry-required"
        # Text fields are stripped by the row rules; required-ness is theirs to report.
        for field in self.fields.values():
            field.required = False

    # The one-line fields sit side by side; the free-text ones below them.
    @property
    def short_fields(self):
        return [self[name] for name in ("date", "time", "people", "source", "practitioner", "event")]

    @property
    def long_fields(self):
        return [self[name] for name in ("details", "outcome", "comment")]

    @classmethod
    def for_entry(cls, entry: ChronologyEntry, **kwargs) -> EntryForm:
        return cls(
            **kwargs,
            key=str(entry.pk),
            initial={
                "date": entry.date_display,
                "time": entry.time.strftime("%H:%M") if entry.time else "",
                "people": "; ".join(entry.people),
                "source": entry.source,
                "practitioner": entry.practitioner,
                "event": entry.event,
                "details": entry.details,
                "outcome": entry.outcome,
                "comment": entry.comment,
                "significant": entry.significant,
            },
        )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        cells = {name: cleaned.get(name) for name in self.fields}
        cells["significant"] = "Y" if cleaned.get("significant") else "N"
        row, issues = row_from_cells(cells, row=1)
        labels = {label: name for name, label in COLUMN_LABELS.items()}
        for issue in issues:
            if issue.level == "error":
                self.add_error(labels.get(issue.column or "", None), issue.message)
        self.parsed_row: ParsedRow | None = row
        self.warnings = [issue.message for issue in issues if issue.level == "warning"]
        return cleaned

    @property
    def row(self) -> ParsedRow:
        """The entry the form parsed; only a valid form has one."""
        assert self.parsed_row is not None, "a form with errors has no row"
        return self.parsed_row


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Chronology file",
        help_text="A CSV or XLSX file with a header row. Download the template below if you are starting from scratch.",
    )
    sheet = forms.CharField(
        label="Sheet name",
        required=False,
        max_length=100,
        help_text=(
            "For a workbook with several sheets. Left empty, the sheet named like 'Chronology' (or the first) is used."
        ),
    )


class ImportConfirmForm(forms.Form):
    """Import a checked file. Into a chronology with entries the author chooses, every time,
    whether the file's rows are added to them or replace them: nothing is chosen for them."""

    mode = forms.ChoiceField(
        label="Add or replace",
        choices=ImportMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to add the file's rows or to replace the whole chronology."},
    )

    def __init__(self, *args, existing: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing
        if not existing:
            # An empty chronology: adding and replacing are the same, so there is nothing to ask.
            del self.fields["mode"]

    @property
    def chosen_mode(self) -> str | None:
        return self.cleaned_data.get("mode") or None
