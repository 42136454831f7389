"""Parsers of what the documents' pages send. The pages write their own HTML forms (the editor
posts by script as well as without it); these read the fields into the values the services
take. Text is passed on as sent ("" when absent) and a number that cannot be one is -1 (no such
section, paragraph or version), so the services and selectors judge what the values mean and
answer with the same words whichever page sent them. ``parsed`` raises the form's own refusals
(a section's title not typed to confirm its removal) as a ValidationError, as a service would."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

NOT_A_NUMBER = -1
# A revision asked for in the query string: past this it cannot be a row's id (the column's range).
_LARGEST_ID = 2**63 - 1


class TextField(forms.Field):
    """Text as sent, "" when absent: unstripped (section text keeps its spaces), with no
    validators of its own (the services normalise it and say what is wrong with it)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> str:
        return "" if value in self.empty_values else str(value)


class NumberField(forms.Field):
    """A whole number as sent, or -1 for anything that cannot be one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> int:
        try:
            return int(value or "")
        except (TypeError, ValueError):
            return NOT_A_NUMBER


class TextListField(forms.Field):
    """Every value sent under one name (checkboxes), as text."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[str]:
        return [str(item) for item in value or []]


def parsed(form: forms.Form) -> dict[str, Any]:
    """The form's values, or a ValidationError with its refusals."""
    if not form.is_valid():
        raise ValidationError([message for errors in form.errors.values() for message in errors])
    return form.cleaned_data


class DocumentCreateForm(forms.Form):
    kind = TextField()


class DocumentNumberingForm(forms.Form):
    numbering = TextField()
    empty_sections = TextField()  # "" (not sent): left as it is


class DocumentStatusForm(forms.Form):
    status = TextField()
    note = TextField()

    def clean_note(self) -> str:
        return self.cleaned_data["note"].strip()


class DocumentPreviewForm(forms.Form):
    version = TextField()

    def clean_version(self) -> bool:
        """True for the publication version; anything else is the panel's."""
        return self.cleaned_data["version"] == "publication"


class SectionAddForm(forms.Form):
    title = TextField()
    after = NumberField()  # the section it goes after; -1 (or another document's): at the end


class SectionTitleForm(forms.Form):
    title = TextField()


class SectionMoveForm(forms.Form):
    direction = TextField()  # "up"; anything else is down


class SectionRemoveForm(forms.Form):
    """Removing a section is confirmed by typing its title exactly."""

    confirm = TextField()

    def __init__(self, *args: Any, title: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = title

    def clean_confirm(self) -> str:
        if self.cleaned_data["confirm"] != self.title:
            raise ValidationError(f"To remove “{self.title}”, type its title exactly to confirm.")
        return self.cleaned_data["confirm"]


class SectionSaveForm(forms.Form):
    """The editor's save: by its script (autosave or a typed save, with an id per attempt) or
    by the form itself without it."""

    body = TextField()
    base_version = NumberField()
    save_id = TextField()
    autosave = TextField()
    unredacted = TextListField()  # the passages the person took the redaction mark off on purpose

    def clean_autosave(self) -> bool:
        return self.cleaned_data["autosave"] == "1"


class RevisionRestoreForm(forms.Form):
    base_version = NumberField()


class HistoryCompareForm(forms.Form):
    """The two revisions the history compares (?a=&b=), as ``wanted``: None when none is asked
    for. Anything that cannot be one (a word, a number too large for the column) is none, so
    the page shows no comparison rather than failing."""

    a = NumberField()
    b = NumberField()

    def clean_a(self) -> int:
        return _revision_pk(self.cleaned_data["a"])

    def clean_b(self) -> int:
        return _revision_pk(self.cleaned_data["b"])

    def clean(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        cleaned["wanted"] = (cleaned["a"], cleaned["b"]) if "a" in self.data else None
        return cleaned


def _revision_pk(value: int) -> int:
    return value if 0 < value <= _LARGEST_ID else NOT_A_NUMBER


class CommentForm(forms.Form):
    text = TextField()
    quote = TextField()
    anchor = TextField()  # the passage's mark in the text (a UUID), from the editor
    parent = NumberField()  # the thread replied to; -1 (or another section's): a new thread


class CommentResolveForm(forms.Form):
    resolved = TextField()

    def clean_resolved(self) -> bool:
        """Resolved unless "0" (reopened)."""
        return self.cleaned_data["resolved"] != "0"


class GlossaryForm(forms.Form):
    """One term typed, or ``lines`` pasted ("ABBR: what it stands for" a line)."""

    lines = TextField()
    abbreviation = TextField()
    expansion = TextField()


class ReferenceSearchForm(forms.Form):
    q = TextField()

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()


class RenderRequestForm(forms.Form):
    version = TextField()
    format = TextField()

    def clean_version(self) -> bool:
        """True for the publication version."""
        return self.cleaned_data["version"] == "publication"


class PublicationDecisionForm(forms.Form):
    """A decision on a finding of the publication check: the finding's key (looked up again in a
    run of the document as it is now, never trusted as posted) and the chair's reason."""

    key = TextField()
    reason = TextField()
