"""A form page drawn again with errors (a full page load) says so the GOV.UK way: "Error: " at the
start of its title, an error summary at the top of the page with a link per problem to the control
it is about, and each problem also told at its control (aria-invalid, aria-describedby)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from accounts.selectors import invitation_token_hash
from reviews.models import Agency
from tests import test_permission_matrix
from tests.conftest import World, force_login_password_only, mfa_device
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

CONTROLS = {"input", "select", "textarea"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


@dataclass
class Page(HTMLParser):
    """The parts of a page this test reads: elements with an id (and their text), the title, and
    the error summary's links."""

    by_id: dict[str, Element] = field(default_factory=dict)
    ids: list[str] = field(default_factory=list)
    title: str = ""
    summary: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    _open: list[tuple[str, Element | None]] = field(default_factory=list)
    _in_summary: int = 0
    _link: list[str] | None = None

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {name: value or "" for name, value in attrs_list}
        element = Element(tag, attrs)
        if "id" in attrs:  # the first of a repeated id is the one links and labels find
            self.by_id.setdefault(attrs["id"], element)
            self.ids.append(attrs["id"])
        if tag in ("input", "br", "meta", "link", "img"):
            return
        self._open.append((tag, element if "id" in attrs else None))
        if "data-error-summary" in attrs or self._in_summary:
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self._link = [attrs.get("href", ""), ""]

    def handle_endtag(self, tag: str) -> None:
        if not self._open:
            return
        self._open.pop()
        if self._in_summary:
            self._in_summary -= 1
        if tag == "a" and self._link is not None:
            self.summary.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None

    def handle_data(self, data: str) -> None:
        for _tag, element in self._open:
            if element is not None:
                element.text += data
        if self._open and self._open[-1][0] == "title":
            self.title += data
        if self._link is not None:
            self._link[1] += data

    def described_by(self, control: Element) -> str:
        ids = control.attrs.get("aria-describedby", "").split()
        return " ".join(" ".join(self.by_id[i].text.split()) for i in ids if i in self.by_id)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def assert_errors_told(html: str, *, about_the_form: tuple[str, ...] = ()) -> Page:
    """The summary lists each problem and links to a control on the page; each problem about a
    field is in the description of that control, which is marked invalid. `about_the_form`: the
    messages about no one field (they link to the form's first control)."""
    page = parse(html)
    assert " ".join(page.title.split()).startswith("Error: "), page.title
    assert page.summary, "no error summary"
    repeated = sorted({i for i in page.ids if page.ids.count(i) > 1})
    assert not repeated, f"ids used twice: {repeated}"  # a link (or a label) would find only the first
    for href, message in page.summary:
        assert href.startswith("#"), href
        control = page.by_id.get(href[1:])
        assert control is not None and control.tag in CONTROLS, f"{message!r} links to {href}, no control there"
        if any(message.startswith(text) for text in about_the_form):
            continue
        assert control.attrs.get("aria-invalid") == "true", f"{href} is not marked invalid"
        told = message.partition(": ")[2] or message  # the summary names the field first
        assert told in page.described_by(control), f"{href} is not described by {told!r}"
    return page


# ---------------------------------------------------------------- every form page, submitted wrong


@dataclass(frozen=True)
class FormPage:
    name: str
    persona: str
    args: Callable[[World], list]
    data: Callable[[World], dict]
    about_the_form: tuple[str, ...] = ()
    method: str = "POST"

    @property
    def id(self) -> str:
        return f"{self.method} {self.name} as {self.persona}"


def review(w: World) -> list:
    return [w.review.pk]


def imr_a(w: World) -> list:
    return [w.review.pk, w.imr_a.pk]


def partnership(w: World) -> list:
    return [w.review.partnership_id]


def recommendation(w: World) -> list:
    return test_permission_matrix.recommendation_args(w)


def action_a(w: World) -> list:
    return test_permission_matrix.action_a_args(w)


def nothing(w: World) -> dict:
    # What a browser sends for a form left empty: never an empty body, which views read as no submit.
    return {"csrfmiddlewaretoken": "as-the-browser-sends-it"}


FORM_PAGES = [
    FormPage("invitation_create", "board_admin", partnership, lambda w: {"email": "not an email", "role": "panel"}),
    FormPage("reviews:create", "board_admin", lambda w: [], nothing),
    FormPage("reviews:edit", "chair", review, lambda w: {"reference": ""}),
    FormPage("reviews:person_create", "chair", review, nothing),
    FormPage("reviews:membership_list", "chair", review, lambda w: {"email": "nobody", "role": "panel"}),
    FormPage("reviews:imr_request", "chair", review, nothing),
    FormPage("reviews:imr_request", "chair", review, lambda w: {"agency": "", "new_agency_name": w.agency_a.name}),
    FormPage("reviews:imr_nil_return", "author_a", imr_a, nothing),
    FormPage("reviews:imr_edit", "chair", imr_a, lambda w: {"author": w.chair.pk, "due_date": "not a date"}),
    FormPage("reviews:imr_return", "chair", lambda w: test_permission_matrix.imr_b_args(w), nothing),
    FormPage("reviews:partnership_detail", "board_admin", partnership, nothing),
    FormPage("reviews:archive", "board_admin", review, lambda w: {"retain_until": "soon"}),
    FormPage("actions:recommendation_create", "chair", review, nothing),
    FormPage("actions:clocks", "chair", review, nothing),
    FormPage("actions:clock_met", "chair", review, lambda w: {"met-milestone": "completion", "met-met_on": "no date"}),
    FormPage("actions:milestone_add", "chair", action_a, lambda w: {"milestone-due_date": "not a date"}),
    FormPage("actions:themes", "board_admin", partnership, nothing),
    FormPage("chronology:episodes", "chair", review, nothing),
    FormPage("chronology:upload", "author_a", imr_a, nothing),
    FormPage("actions:action_create", "chair", recommendation, nothing),
    FormPage("actions:action_progress", "owner", action_a, nothing),
    FormPage("actions:action_progress", "chair", action_a, nothing),
    FormPage("actions:dashboard", "board_admin", partnership, lambda w: {"agency": "not a number"}, method="GET"),
]


@pytest.mark.parametrize("form_page", FORM_PAGES, ids=lambda row: row.id)
def test_a_form_submitted_wrong_says_so_in_its_title_its_summary_and_at_each_field(client, world, form_page):
    client.force_login(world.persona(form_page.persona))
    url = reverse(form_page.name, args=form_page.args(world))
    send = client.post if form_page.method == "POST" else client.get
    response = send(url, form_page.data(world))
    assert response.status_code in (200, 400), response.status_code
    assert_errors_told(response.content.decode(), about_the_form=form_page.about_the_form)


def test_a_page_with_no_errors_has_no_summary_and_a_plain_title(client, world):
    client.force_login(world.chair)
    page = parse(client.get(reverse("reviews:imr_request", args=[world.review.pk])).content.decode())
    assert not page.summary and not page.title.strip().startswith("Error")


# ---------------------------------------------------------------- signing in


def test_a_wrong_password_is_told_at_the_password_field(world):
    client = Client()
    response = client.post(reverse("login"), {"username": world.chair.username, "password": "not the password"})
    page = assert_errors_told(response.content.decode())
    assert page.summary == [("#id_password", page.summary[0][1])]
    assert page.summary[0][1].startswith("Password: Please enter a correct username and password.")
    assert "autofocus" not in page.by_id["id_username"].attrs  # the page starts at the summary


@pytest.mark.parametrize("view", ["mfa_verify", "mfa_enrol"])
def test_a_wrong_code_is_told_at_the_code_field(world, view):
    user = User.objects.create_user("newcomer", password="a long enough passphrase")
    if view == "mfa_verify":
        mfa_device(user)
    client = Client()
    force_login_password_only(client, user)
    response = client.post(reverse(view), {"code": "000000"})
    page = assert_errors_told(response.content.decode())
    assert [href for href, _ in page.summary] == ["#id_code"]
    assert "autofocus" not in page.by_id["id_code"].attrs  # the page starts at the summary


# ---------------------------------------------------------------- requesting an IMR


def test_requesting_an_imr_from_no_agency_is_told_at_the_agency_field(client, world):
    client.force_login(world.chair)
    html = client.post(reverse("reviews:imr_request", args=[world.review.pk]), nothing(world)).content.decode()
    page = assert_errors_told(html)
    assert [href for href, _ in page.summary] == ["#id_agency"]


def test_a_new_agency_already_in_the_directory_is_told_at_its_name(client, world):
    agency = AgencyFactory(partnership=world.review.partnership, name="Northshire Fire and Rescue")
    client.force_login(world.chair)
    data = {"new_agency_name": agency.name.upper(), "new_agency_kind": Agency.Kind.OTHER}
    html = client.post(reverse("reviews:imr_request", args=[world.review.pk]), data).content.decode()
    page = assert_errors_told(html)
    told = f'"{agency.name.upper()}" is already in this partnership\'s directory.'
    assert page.summary == [("#id_new_agency_name", f"Or add an agency to the directory: {told}")]


def test_choosing_an_agency_and_naming_a_new_one_is_told_at_the_new_name(client, world):
    other = AgencyFactory(partnership=world.review.partnership, name="Northshire Ambulance Service")
    client.force_login(world.chair)
    data = {"agency": other.pk, "new_agency_name": "Northshire Libraries", "new_agency_kind": Agency.Kind.OTHER}
    html = client.post(reverse("reviews:imr_request", args=[world.review.pk]), data).content.decode()
    assert [href for href, _ in assert_errors_told(html).summary] == ["#id_new_agency_name"]


# ---------------------------------------------------------------- creating an account


def _invitation_url(world: World) -> str:
    token = "a-token-for-this-test"
    Invitation.objects.create(
        email="ivy.patel@example.org",
        partnership=world.review.partnership,
        token_hash=invitation_token_hash(token),
        invited_by=world.board_admin,
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    return reverse("invitation_accept", args=[token])


def test_the_account_form_tells_browsers_what_each_field_is_for(world):
    page = parse(Client().get(_invitation_url(world)).content.decode())
    tokens = {name: page.by_id[f"id_{name}"].attrs.get("autocomplete") for name in AUTOCOMPLETE}
    assert tokens == AUTOCOMPLETE


def test_creating_an_account_with_two_different_passwords_is_told_at_the_second(world):
    data = {"username": "ivy", "first_name": "Ivy", "last_name": "Patel"}
    data |= {"password1": "a long enough passphrase", "password2": "another passphrase"}
    page = assert_errors_told(Client().post(_invitation_url(world), data).content.decode())
    assert page.summary == [("#id_password2", "Password again: The two passwords are not the same.")]


AUTOCOMPLETE = {
    "username": "username",
    "first_name": "given-name",
    "last_name": "family-name",
    "password1": "new-password",
    "password2": "new-password",
}


# ---------------------------------------------------------------- required fields


def test_a_form_with_required_fields_explains_the_asterisk_once(client, world):
    client.force_login(world.chair)
    html = client.get(reverse("reviews:person_create", args=[world.review.pk])).content.decode()
    assert html.count("are required.") == 1
    assert re.search(r"Fields marked <span[^>]*>\*</span> are required\.", html)


def test_a_form_with_no_required_field_does_not(client, world):
    client.force_login(world.chair)
    html = client.get(reverse("reviews:imr_request", args=[world.review.pk])).content.decode()
    assert "are required." not in html


# ---------------------------------------------------------------- the summary's links, for any form


class Everything(forms.Form):
    name = forms.CharField()
    colour = forms.ChoiceField(choices=[("red", "Red"), ("blue", "Blue")], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(choices=[("mon", "Monday")], widget=forms.CheckboxSelectMultiple)
    when = forms.SplitDateTimeField()
    secret = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Nothing fits together.")


class Thing(forms.Form):
    label = forms.CharField()


def _render(context: dict) -> Page:
    template = engines["django"].from_string(
        "{% load a11y crispy_forms_tags %}<title>{% error_title_prefix %}Page</title>"
        '<main id="main">{% error_summary %}{% for form in forms %}{{ form|crispy }}{% endfor %}'
        "{% if formset %}{{ formset.management_form }}{% for form in formset %}{{ form|crispy }}{% endfor %}{% endif %}"
        "</main>"
    )
    return parse(template.render(context))


def test_each_link_goes_to_a_control_that_is_on_the_page_whatever_its_widget_or_prefix():
    page = _render({"forms": [Everything({}, prefix="extra")]})
    assert page.summary == [
        ("#id_extra-name", "Name: This field is required."),
        ("#id_extra-colour_0", "Colour: This field is required."),  # the first radio: the group's label points at none
        ("#id_extra-days_0", "Days: This field is required."),
        ("#id_extra-when_0", "When: This field is required."),  # the date of a date and time
        ("#id_extra-name", "(Hidden field secret) This field is required."),  # about the form as a whole
        ("#id_extra-name", "Nothing fits together."),
    ]
    for href, _ in page.summary:
        assert page.by_id[href[1:]].tag in CONTROLS, href


def test_a_formsets_own_errors_link_to_its_first_control():
    formset = forms.formset_factory(Thing, extra=0, min_num=2, validate_min=True)(
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-label": "one"}
    )
    page = _render({"formset": formset, "forms": []})
    assert page.summary == [("#id_form-0-label", "Please submit at least 2 forms.")]
    assert page.title.startswith("Error: ")


def test_one_problem_is_listed_once_even_when_the_form_is_in_the_page_twice():
    form = Thing({"label": ""})
    page = _render({"forms": [form], "also": form, "again": [form]})
    assert page.summary == [("#id_label", "Label: This field is required.")]
