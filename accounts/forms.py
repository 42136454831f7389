from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError

from reviews.archived import ARCHIVED_MESSAGE
from reviews.models import Agency, Review, ReviewMembership
from reviews.validators import one_line


class LoginForm(AuthenticationForm):
    """Django's sign-in form, with a wrong username or password told at the password field (the
    error summary links there, and the field is described by it) rather than above the form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:  # drawn again with an error: the page starts at the error summary instead
            self.fields["username"].widget.attrs.pop("autofocus", None)

    def clean(self):
        try:
            return super().clean()
        except ValidationError as exc:
            if exc.code != "invalid_login":
                raise
            self.add_error("password", exc)
            return self.cleaned_data


class MfaCodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code your authenticator app shows now, or one of your unused recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:  # drawn again with an error: the page starts at the error summary instead
            self.fields["code"].widget.attrs.pop("autofocus", None)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        help_text="We email this address a link to create an account; it works once, for 7 days.",
        # Someone else's address: the browser must not offer the administrator's own.
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    review = forms.ModelChoiceField(
        queryset=Review.objects.none(),
        required=False,
        help_text="Optional: a review the person joins when they create their account.",
    )
    role = forms.ChoiceField(choices=[("", "—"), *ReviewMembership.Role.choices], required=False)
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(), required=False, help_text="For IMR authors and action owners only."
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["review"]).queryset = Review.objects.filter(
            partnership=partnership
        ).order_by("reference")
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = Agency.objects.filter(
            partnership=partnership
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        review, role, agency = cleaned.get("review"), cleaned.get("role"), cleaned.get("agency")
        if bool(review) != bool(role):  # told at the one left empty
            self.add_error("role" if review else "review", "Choose both a review and a role, or neither.")
        if review is not None and review.archived_at is not None:
            self.add_error("review", ARCHIVED_MESSAGE)
        if role in ReviewMembership.AGENCY_ROLES and agency is None:
            self.add_error("agency", "IMR authors and action owners act for an agency: choose one.")
        if agency is not None and role not in ReviewMembership.AGENCY_ROLES:
            self.add_error("agency", "Only IMR authors and action owners act for an agency: leave it empty.")
        return cleaned


class InvitationAcceptForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text="What you will sign in with: letters, digits and @ . + - _ only.",
        error_messages={"invalid": "A username may contain only letters, digits and @ . + - _"},
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}),
    )
    first_name = forms.CharField(
        max_length=150,
        validators=[one_line("Your first name")],
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        max_length=150,
        validators=[one_line("Your last name")],
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters, not a common password, not all digits, not like your name.",
    )
    password2 = forms.CharField(
        label="Password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords are not the same.")
        return cleaned


PASSWORD_RULES = "At least 12 characters, not a common password, not all digits, not like your name."


class NewPasswordForm(SetPasswordForm):
    """A new password, twice, checked against the password rules (settings.AUTH_PASSWORD_VALIDATORS);
    a rule broken is told at the first field, where the password was chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = PASSWORD_RULES
        self.fields["new_password2"].label = "New password again"
        self.fields["new_password2"].help_text = ""
        self.error_messages["password_mismatch"] = "The two passwords are not the same."

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data


class ChangePasswordForm(PasswordChangeForm, NewPasswordForm):
    """The current password, then the new one twice."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.error_messages["password_incorrect"] = "That is not your current password. Enter it again."
        if self.is_bound:  # drawn again with an error: the page starts at the error summary instead
            self.fields["old_password"].widget.attrs.pop("autofocus", None)


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address your casereview account uses.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.fields["email"].widget.attrs.pop("autofocus", None)
