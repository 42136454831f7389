"""Bad query strings never give a 500.

Every page of the permission matrix is asked for, by someone who may read it, with each query
parameter any view reads set to a NUL, a word, a negative number, a number too large for
any column and a digit that is not a number: the answer is the page, a 400 or a 404, never a
server error. PostgreSQL refuses a NUL in a query and an integer past its column, so run this on
PostgreSQL too (DATABASE_URL)."""

from __future__ import annotations

import pathlib
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.test_permission_matrix import MATRIX, Row

# "²" is a digit to str.isdigit() but not to int().
# Every test here only makes requests and reads (or changes what a savepoint rolls back): the world
# is built once for the module and each test runs in a savepoint of it (tests/conftest.py).
SHARED_WORLD = True

BAD_VALUES = ["\x00", "abc", "-1", "9" * 30, "²"]

# The query parameters each page reads, directly or through a filter form.
READS = {
    "login": ["next"],
    "chronology:entries": ["page"],
    "chronology:integrated": [
        "v", "page", "q", "agency", "person", "event", "episode", "significant", "scope", "linked", "group", "names",
    ],
    "chronology:links": ["v", "kind", "status", "names", "page"],
    "chronology:compare": ["from", "to"],
    "reports:section_history": ["a", "b"],
    "reports:document_preview": ["version"],
    "reports:reference_search": ["q"],
    "reviews:audit": ["who", "action", "kind", "from", "to", "export", "page"],
    "reviews:partnership_audit": ["who", "action", "kind", "from", "to", "export", "page"],
    "actions:export": ["names"],
    "actions:dashboard": ["review_type", "stage", "agency", "theme", "reviews_page", "imrs_page", "actions_page"],
}  # fmt: skip
PARAMETERS = sorted({name for names in READS.values() for name in names})

APPS = ("accounts", "actions", "casereview", "chronology", "reports", "reviews")


def _readers(row: Row) -> list[str]:
    """Who reads the page: a persona the matrix expects a 200 for (the chair first)."""
    allowed = [persona for persona, outcome in row.outcomes.items() if outcome == 200]
    return sorted(allowed, key=lambda persona: persona != "chair")[:1]


GET_ROWS = [row for row in MATRIX if row.method == "GET" and _readers(row)]


def _get(client: Client, url: str, params: dict) -> int:
    response = client.get(url, params)
    return response.status_code


@pytest.mark.parametrize("row", GET_ROWS, ids=lambda row: row.id)
def test_no_query_parameter_gives_a_server_error(world: World, row: Row):
    client = Client(raise_request_exception=False)
    persona = _readers(row)[0]
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    url = reverse(row.name, args=row.args(world))
    failures = []
    for value in BAD_VALUES:
        # All at once, then one at a time (an early 404 on one parameter must not hide another).
        if _get(client, url, dict.fromkeys(PARAMETERS, value)) >= 500:
            failures.append(f"every parameter = {value!r}")
        for name in READS.get(row.name, []):
            if _get(client, url, {name: value}) >= 500:
                failures.append(f"{name}={value!r}")
    assert not failures, f"{row.id} as {persona}: server error for {failures}"


def test_every_query_parameter_a_view_reads_is_tried():
    """A new ``request.GET`` read is fuzzed as soon as it is written (on every page at once)."""
    read: set[str] = set()
    for app in APPS:
        for path in (pathlib.Path(settings.BASE_DIR) / app).rglob("*.py"):
            read |= set(re.findall(r"request\.GET\.get(?:list)?\(\s*[\"']([^\"']+)[\"']", path.read_text()))
    assert read, "no query parameters found: has the code moved?"
    assert read <= set(PARAMETERS), f"query parameters not fuzzed: {sorted(read - set(PARAMETERS))}"
