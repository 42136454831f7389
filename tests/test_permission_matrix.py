"""The role x URL permission matrix.

Every URL of casereview has a row here: what each persona gets for each method. Anything a
persona may not read answers 404 (so nobody learns another board's review or another
agency's IMR exists); a write by someone who may only read answers 403; anonymous users
are sent to sign in. A new view is not done until it has its rows: ``test_every_url_is_in
_the_matrix`` fails until it does.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS, World

LOGIN = "login"  # a redirect to the sign-in page


def expect(default: int | str, **by_persona: int | str) -> dict[str, int | str]:
    """Expected outcome per persona: anonymous users always go to sign in."""
    outcomes = {persona: default for persona in PERSONAS}
    outcomes["anonymous"] = LOGIN
    outcomes.update(by_persona)
    return outcomes


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    args: Callable[[World], list]
    outcomes: dict[str, int | str]
    data: Callable[[World], dict] = field(default=lambda w: {})
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}{' ' + self.label if self.label else ''}"


def review_args(w: World) -> list:
    return [w.review.pk]


def review_form_data(w: World) -> dict:
    return {
        "partnership": w.review.partnership_id,
        "reference": "NDHR-99",
        "review_type": "dhr",
        "case_name": "Adult Z",
        "stage": "scoping",
        "scope_start": "2021-01-01",
        "scope_end": "2022-01-01",
        "key_lines": "What did each agency know?",
    }


def person_form_data(w: World) -> dict:
    return {"real_name": "Paul Marsh", "designation": "the victim's brother", "relationship": "family_member"}


# Shorthands for who may do what in the world's review.
MANAGERS = {"board_admin": 200, "chair": 200}
PANEL_READERS = {**MANAGERS, "panel": 200}
REVIEW_MEMBERS = {**PANEL_READERS, "author_a": 200, "author_b": 200, "owner": 200}
READ_ONLY_MEMBERS_403 = {"panel": 403, "author_a": 403, "author_b": 403, "owner": 403}


def saved(outcomes: dict[str, int]) -> dict[str, int]:
    """The same personas, expecting the redirect that follows a successful write."""
    return {persona: 302 for persona in outcomes}


MATRIX: list[Row] = [
    Row("login", "GET", lambda w: [], expect(302, anonymous=200)),
    Row("logout", "POST", lambda w: [], expect(302, anonymous=302)),
    Row("home", "GET", lambda w: [], expect(200)),
    Row(
        "reviews:create",
        "GET",
        lambda w: [],
        expect(403, board_admin=200, other_board_admin=200),
    ),
    Row(
        "reviews:create",
        "POST",
        lambda w: [],
        # The other board's administrator cannot choose this partnership: the form refuses it.
        expect(403, board_admin=302, other_board_admin=200),
        data=review_form_data,
    ),
    Row("reviews:detail", "GET", review_args, expect(404, **REVIEW_MEMBERS)),
    Row(
        "reviews:detail",
        "GET",
        lambda w: [w.other_review.pk],
        expect(404, other_board_admin=200),
        label="(other board's review)",
    ),
    Row("reviews:edit", "GET", review_args, expect(404, **MANAGERS, **READ_ONLY_MEMBERS_403)),
    Row(
        "reviews:edit",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), **READ_ONLY_MEMBERS_403),
        data=lambda w: {**review_form_data(w), "reference": w.review.reference},
    ),
    Row(
        "reviews:edit",
        "GET",
        lambda w: [w.other_review.pk],
        expect(404, other_board_admin=200),
        label="(other board's review)",
    ),
    Row("reviews:person_list", "GET", review_args, expect(404, **PANEL_READERS)),
    Row("reviews:person_create", "GET", review_args, expect(404, **MANAGERS, panel=403)),
    Row(
        "reviews:person_create",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), panel=403),
        data=person_form_data,
    ),
    Row("reviews:person_edit", "GET", lambda w: [w.review.pk, w.person.pk], expect(404, **MANAGERS, panel=403)),
    Row(
        "reviews:person_edit",
        "POST",
        lambda w: [w.review.pk, w.person.pk],
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: {"real_name": "Susan Marsh", "designation": "Mrs M", "relationship": "family_member"},
    ),
    Row(
        "reviews:person_edit",
        "GET",
        lambda w: [w.other_review.pk, w.person.pk],
        expect(404),
        label="(person id under another review)",
    ),
    Row(
        "reviews:person_delete",
        "POST",
        lambda w: [w.review.pk, w.person.pk],
        expect(404, chair=302, board_admin=302, panel=403),
    ),
    Row("reviews:membership_list", "GET", review_args, expect(404, **PANEL_READERS)),
    Row(
        "reviews:membership_list",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), panel=403),
        data=lambda w: {"email": w.outsider.email, "role": "panel"},
    ),
    Row(
        "reviews:membership_delete",
        "POST",
        lambda w: [w.review.pk, w.review.memberships.get(user=w.panel).pk],
        expect(404, **saved(MANAGERS), panel=403),
    ),
    Row("reviews:imr_request", "GET", review_args, expect(404, **MANAGERS, **READ_ONLY_MEMBERS_403)),
    Row(
        "reviews:imr_request",
        "POST",
        review_args,
        expect(404, **saved(MANAGERS), **READ_ONLY_MEMBERS_403),
        data=lambda w: {
            "new_agency_name": "Northshire Housing",
            "new_agency_kind": "housing",
            "due_date": "2027-01-31",
        },
    ),
    Row(
        "reviews:imr_detail",
        "GET",
        lambda w: [w.review.pk, w.imr_a.pk],
        expect(404, **PANEL_READERS, author_a=200),
        label="(agency A)",
    ),
    Row(
        "reviews:imr_detail",
        "GET",
        lambda w: [w.review.pk, w.imr_b.pk],
        expect(404, **PANEL_READERS, author_b=200),
        label="(agency B)",
    ),
    Row(
        "reviews:imr_detail",
        "GET",
        lambda w: [w.other_review.pk, w.imr_a.pk],
        expect(404),
        label="(IMR id under another review)",
    ),
    Row(
        "reviews:imr_edit",
        "GET",
        lambda w: [w.review.pk, w.imr_a.pk],
        expect(404, **MANAGERS, panel=403, author_a=403),
    ),
    Row(
        "reviews:imr_edit",
        "POST",
        lambda w: [w.review.pk, w.imr_a.pk],
        expect(404, **saved(MANAGERS), panel=403, author_a=403),
        data=lambda w: {"due_date": "2027-02-28", "author": w.author_a.pk, "signing_off_manager": "Supt. J Bloggs"},
    ),
    Row("reviews:audit", "GET", review_args, expect(404, **MANAGERS, **READ_ONLY_MEMBERS_403)),
    Row(
        "reviews:partnership_detail",
        "GET",
        lambda w: [w.review.partnership_id],
        expect(404, board_admin=200),
    ),
    Row(
        "reviews:partnership_detail",
        "POST",
        lambda w: [w.review.partnership_id],
        expect(404, board_admin=302),
        data=lambda w: {"name": "Northshire Probation", "kind": "probation"},
    ),
    Row(
        "reviews:partnership_audit",
        "GET",
        lambda w: [w.review.partnership_id],
        expect(404, board_admin=200),
    ),
]


def _request(client: Client, row: Row, world: World):
    url = reverse(row.name, args=row.args(world))
    if row.method == "GET":
        return client.get(url)
    return client.post(url, row.data(world))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("row", MATRIX, ids=lambda row: row.id)
def test_permission_matrix(client: Client, world: World, row: Row, persona: str):
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    response = _request(client, row, world)
    expected = row.outcomes[persona]
    if expected == LOGIN:
        assert response.status_code == 302, f"{persona} {row.id}: expected a sign-in redirect"
        assert response.url.startswith(reverse("login")), f"{persona} {row.id}: redirected to {response.url}"
    else:
        assert response.status_code == expected, f"{persona} {row.id}: expected {expected}, got {response.status_code}"
        if expected == 302 and row.method == "POST" and row.name != "logout":
            assert not response.url.startswith(reverse("login"))


@pytest.mark.parametrize("row", [row for row in MATRIX if row.method == "POST"], ids=lambda row: row.id)
def test_every_post_needs_a_csrf_token(world: World, row: Row):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.chair if row.name != "reviews:partnership_detail" else world.board_admin)
    assert _request(client, row, world).status_code == 403


def _named_urls(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix():
    covered = {row.name for row in MATRIX}
    missing = _named_urls(get_resolver().url_patterns) - covered
    assert not missing, f"URLs without permission-matrix rows: {sorted(missing)}"


def test_matrix_changes_stick_for_the_allowed_write(client: Client, world: World):
    """A 302 in the matrix is a real write, not a silent no-op."""
    client.force_login(world.chair)
    row = next(row for row in MATRIX if row.name == "reviews:imr_edit" and row.method == "POST")
    assert _request(client, row, world).status_code == 302
    world.imr_a.refresh_from_db()
    assert world.imr_a.due_date == datetime.date(2027, 2, 28)
    assert world.imr_a.signing_off_manager == "Supt. J Bloggs"
