"""An agency's chronology a page at a time, and edits made in place that send back only what
changed: a 40,000-entry chronology made an 88 MB page, and each edit redrew all of it."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chronology.models import ChronologyEntry
from chronology.selectors import PAGE_SIZE
from tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
NUMBER = re.compile(r"Entry number (\d+)\.")


def _url(name, imr, *extra):
    return reverse(f"chronology:{name}", args=[imr.review_id, imr.pk, *extra])


def _fill(imr, count: int, *, first=datetime.date(2015, 1, 1)) -> list[ChronologyEntry]:
    """`count` entries a day apart, numbered in date order but stored last first, so that date
    order is not the order they were written in."""
    entries = [
        ChronologyEntry(
            imr=imr,
            position=1000 + count - number,
            date_start=first + datetime.timedelta(days=number - 1),
            date_end=first + datetime.timedelta(days=number - 1),
            precision="day",
            date_display=f"Day {number}",
            details=f"Entry number {number}.",
        )  # fmt: skip
        for number in range(count, 0, -1)
    ]
    ChronologyEntry.objects.bulk_create(entries)
    return sorted(ChronologyEntry.objects.filter(details__startswith="Entry number"), key=lambda e: e.date_start)


def _rows(html: str) -> int:
    return html.count('<tr id="entry-')


def test_page_two_shows_entries_101_to_200_in_date_order(client, world):
    _fill(world.imr_a, 250)  # and the world's own entry, in 2021: 251 in all
    client.force_login(world.author_a)
    page = client.get(_url("entries", world.imr_a), {"page": 2}).content.decode()
    assert [int(n) for n in NUMBER.findall(page)] == list(range(101, 201))
    assert "Showing 101–200 of 251 entries, in date order." in page
    assert '<nav aria-label="Chronology pages">' in page and 'aria-current="page"' in page
    assert 'href="?page=1" rel="prev"' in page and 'href="?page=3" rel="next"' in page
    assert _rows(page) == PAGE_SIZE


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("abc", 1), ("-1", 3), ("", 1)])
def test_a_page_number_past_the_end_or_not_a_number_still_shows_a_page(client, world, asked, shown):
    _fill(world.imr_a, 250)
    client.force_login(world.author_a)
    response = client.get(_url("entries", world.imr_a), {"page": asked})
    assert response.status_code == 200 and response.context["page"].number == shown


def test_a_short_chronology_has_no_page_links(client, world):
    client.force_login(world.author_a)
    page = client.get(_url("entries", world.imr_a)).content.decode()
    assert "1 entry, in date order." in page and "Chronology pages" not in page


def test_the_page_takes_the_same_queries_whatever_the_size_of_the_chronology(client, world):
    client.force_login(world.author_a)
    _fill(world.imr_a, 150)
    client.get(_url("entries", world.imr_a))  # the session's first request does more
    with CaptureQueriesContext(connection) as small:
        client.get(_url("entries", world.imr_a), {"page": 2})
    _fill(world.imr_a, 400, first=datetime.date(2016, 1, 1))
    with CaptureQueriesContext(connection) as large:
        client.get(_url("entries", world.imr_a), {"page": 2})
    assert len(large) == len(small)


def test_the_chair_reads_a_submitted_chronology_a_page_at_a_time_without_edit_controls(client, world):
    _fill(world.imr_b, 150)
    client.force_login(world.chair)
    page = client.get(_url("entries", world.imr_b), {"page": 2}).content.decode()
    assert [int(n) for n in NUMBER.findall(page)] == list(range(101, 151))
    total = ChronologyEntry.objects.filter(imr=world.imr_b).count()
    assert f"Showing 101–{total} of {total} entries" in page and '<nav aria-label="Chronology pages">' in page
    assert "Add an entry" not in page and "entry_edit" not in page and "/edit/" not in page


def test_another_agencys_author_cannot_page_through_the_chronology(client, world):
    _fill(world.imr_a, 150)
    client.force_login(world.author_b)
    assert client.get(_url("entries", world.imr_a), {"page": 2}).status_code == 404


def test_editing_in_place_gives_the_row_a_form_with_ids_of_its_own(client, world):
    client.force_login(world.author_a)
    pk = world.entry_a.pk
    form_row = client.get(_url("entry_edit", world.imr_a, pk), **HTMX).content.decode()
    assert form_row.count("<tr") == 1
    assert f'id="id_date-{pk}"' in form_row and f'for="id_date-{pk}"' in form_row
    assert f'aria-describedby="id_date-{pk}_help"' in form_row and f'id="id_significant-{pk}"' in form_row
    assert 'id="id_date"' not in form_row  # the Add form's


def test_an_edit_with_errors_comes_back_as_the_one_row_with_its_errors(client, world):
    client.force_login(world.author_a)
    pk = world.entry_a.pk
    row = client.post(_url("entry_edit", world.imr_a, pk), {"date": "31/02/2021", "details": "x"}, **HTMX)
    html = row.content.decode()
    assert html.count("<tr") == 1 and "is not a real date" in html and f'id="id_date-{pk}_error"' in html
    world.entry_a.refresh_from_db()
    assert world.entry_a.details != "x"


def test_a_saved_edit_that_moves_the_entry_to_another_page_says_where_it_went(client, world):
    entries = _fill(world.imr_a, 250)
    client.force_login(world.author_a)
    first = entries[0]
    response = client.post(
        _url("entry_edit", world.imr_a, first.pk), {"date": "1 Jan 2020", "details": "Later."}, **HTMX
    )
    html = response.content.decode()
    assert html.count("<tr") == 1 and "Later." in html
    said = json.loads(response["HX-Trigger-After-Settle"])["casereview:announce"]
    assert said["message"].endswith("on page 3.") and said["link"] == "Show it in its place"
    assert said["href"] == f"{_url('entries', world.imr_a)}?page=3#entry-{first.pk}"


def test_deleting_in_place_sends_no_rows_and_updates_the_count(client, world):
    entries = _fill(world.imr_a, 250)
    client.force_login(world.author_a)
    gone = entries[150]
    response = client.post(_url("entry_delete", world.imr_a, gone.pk), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<tr" not in html
    assert "Showing 101–200 of 250 entries" in html and 'id="chronology-count" hx-swap-oob="innerHTML"' in html
    after = json.loads(response["HX-Trigger-After-Settle"])
    assert after["casereview:announce"]["message"] == "Entry for Day 151 deleted."
    # The focus goes to the row that took its place (else the one before it, else the announcement).
    assert after["casereview:focus"]["selectors"] == [
        f"#edit-entry-{entries[151].pk}",
        f"#edit-entry-{entries[149].pk}",
        "#chronology-status",
    ]
    assert not ChronologyEntry.objects.filter(pk=gone.pk).exists()


def test_adding_shows_the_page_the_new_entry_is_on_with_the_form_ready(client, world):
    _fill(world.imr_a, 250)
    client.force_login(world.author_a)
    response = client.post(_url("entry_create", world.imr_a), {"date": "5 Jan 2015", "details": "Inserted."}, **HTMX)
    html = response.content.decode()
    new = ChronologyEntry.objects.get(details="Inserted.")
    assert html.lstrip().startswith('<div id="chronology">') and response["HX-Push-Url"].endswith("/chronology/")
    assert _rows(html) == PAGE_SIZE and f'<tr id="entry-{new.pk}" class=" entry-added">' in html
    after = json.loads(response["HX-Trigger-After-Settle"])
    assert after["casereview:announce"]["message"] == "Entry for 5 Jan 2015 added, on page 1."

    late = client.post(_url("entry_create", world.imr_a), {"date": "1 Jan 2030", "details": "Last."}, **HTMX)
    assert late["HX-Push-Url"].endswith("?page=3") and "Last." in late.content.decode()


def test_an_entry_added_with_errors_sends_back_only_the_form(client, world):
    _fill(world.imr_a, 150)
    client.force_login(world.author_a)
    response = client.post(_url("entry_create", world.imr_a), {"date": "Someday", "details": ""}, **HTMX)
    html = response.content.decode()
    assert response["HX-Retarget"] == "#add-entry" and response["HX-Reswap"] == "outerHTML"
    assert html.lstrip().startswith('<section id="add-entry"') and "<tr" not in html and "Details are required" in html
    after = json.loads(response["HX-Trigger-After-Settle"])
    assert after["casereview:announce"]["message"] == "The entry was not added: 2 problems to correct."
    assert after["casereview:focus"]["selectors"][0] == "#add-entry [aria-invalid='true']"


def test_a_plain_form_adding_an_entry_goes_to_its_page(client, world):
    _fill(world.imr_a, 250)
    client.force_login(world.author_a)
    response = client.post(_url("entry_create", world.imr_a), {"date": "1 Jan 2030", "details": "Last."})
    new = ChronologyEntry.objects.get(details="Last.")
    assert response["Location"] == f"{_url('entries', world.imr_a)}?page=3#entry-{new.pk}"


def test_moving_in_place_sends_the_two_rows_in_their_new_order(client, world):
    world.entry_a.position = 1
    world.entry_a.save()
    second = EntryFactory(imr=world.imr_a, position=2, details="The second.")
    client.force_login(world.author_a)
    response = client.post(_url("entry_move", world.imr_a, second.pk), {"direction": "up"}, **HTMX)
    html = response.content.decode()
    rows = re.findall(r'<tr id="entry-(\d+)"([^>]*)>', html)
    # The two rows in their new order, then the neighbour's old row taken out.
    assert [int(pk) for pk, _ in rows] == [second.pk, world.entry_a.pk, world.entry_a.pk]
    assert 'hx-swap-oob="delete"' in rows[2][1]
    after = json.loads(response["HX-Trigger-After-Settle"])
    assert after["casereview:announce"]["message"].endswith("moved earlier on the same day.")
    assert after["casereview:focus"]["selectors"] == [f"#entry-{second.pk} button[value='up']"]

    other_day = EntryFactory(imr=world.imr_a, position=3, date_start="2021-06-01", date_end="2021-06-01")
    refused = client.post(_url("entry_move", world.imr_a, other_day.pk), {"direction": "up"}, **HTMX)
    assert refused["HX-Reswap"] == "none" and "<tr" not in refused.content.decode()
    assert json.loads(refused["HX-Trigger-After-Settle"])["casereview:announce"]["message"].startswith("Not moved")


def test_moving_across_a_page_break_shows_the_page_it_went_to(client, world):
    entries = _fill(world.imr_a, 100)
    last = entries[-1]
    # Another entry on the last entry's day, after it: it starts page 2.
    after = EntryFactory(
        imr=world.imr_a, position=last.position + 5000, date_start=last.date_start, date_end=last.date_start
    )
    client.force_login(world.author_a)
    response = client.post(_url("entry_move", world.imr_a, after.pk), {"direction": "up"}, **HTMX)
    assert response["HX-Redirect"] == f"{_url('entries', world.imr_a)}#entry-{after.pk}"
