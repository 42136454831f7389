"""Pages that stay small at 40,000 entries: an agency's chronology page (and what an edit made
in place sends back), the integrated chronology page and its timeline picture, and the
suggested-links page. Time through Django's full request cycle, and bytes sent.

Goals: the IMR chronology page under 300 ms and 300 KB; the integrated page without the
timeline's megabytes; the links page reading only the 25 links it shows."""

import datetime
import random
import statistics
import time

from _setup import django_setup, sign_in

ENTRIES, AGENCIES, RUNS = 40_000, 8, 10
WORDS = (
    "mother child visit school police report seen concern risk plan housing refuge nursery health doctor "
    "assessment referral strategy conference support advice telephone letter appointment missed attended "
    "discussed agreed recorded shared information worker officer family home address bruise injury"
).split()
HTMX = {"HTTP_HX_REQUEST": "true"}


def entries_for(imr, count: int, rng: random.Random) -> list:
    from chronology.models import ChronologyEntry

    start = datetime.date(2007, 1, 1)
    rows = []
    for position in range(1, count + 1):
        day = start + datetime.timedelta(days=rng.randrange(2200))
        rows.append(ChronologyEntry(
            imr=imr, position=position, date_start=day, date_end=day, precision="day",
            date_display=day.strftime("%-d %b %Y"),
            time=datetime.time(rng.randrange(24), rng.randrange(60)) if rng.random() < 0.3 else None,
            people=["Jade Marsh"], source=f"Record {position}", practitioner="Social worker",
            event="Home visit", details=" ".join(rng.choices(WORDS, k=30)), outcome="Recorded.",
            comment="Seen alone." if rng.random() < 0.2 else "", significant=rng.random() < 0.1,
        ))  # fmt: skip
    return rows


def build_data():
    from django.contrib.auth import get_user_model

    from chronology.models import ChronologyEntry
    from reviews.models import Agency, Imr, Partnership, Person, Review

    rng = random.Random(14)
    users = get_user_model().objects
    partnership = Partnership.objects.create(name="Benchshire", slug="benchshire", kind="community_safety")
    review = Review.objects.create(
        partnership=partnership, reference="BENCH-PAGES", review_type="dhr", case_name="A",
        scope_start=datetime.date(2008, 4, 1), scope_end=datetime.date(2012, 8, 6),
    )  # fmt: skip
    Person.objects.create(review=review, real_name="Jade Marsh", designation="the victim", aliases=["Jadey"])
    chair = users.create_user("benchchair", "chair@example.org", "bench-password-123")
    review.memberships.create(user=chair, role="chair")
    author = users.create_user("benchauthor", "author@example.org", "bench-password-123")
    # One agency drafting a 40,000-entry chronology.
    drafting = Agency.objects.create(partnership=partnership, name="Drafting agency")
    imr = Imr.objects.create(review=review, agency=drafting, author=author, status="in_progress")
    review.memberships.create(user=author, role="imr_author", agency=drafting)
    started = time.perf_counter()
    ChronologyEntry.objects.bulk_create(entries_for(imr, ENTRIES, rng), batch_size=2000)
    made = time.perf_counter() - started
    # The integrated chronology: 40,000 accepted entries from 8 agencies.
    for number in range(AGENCIES):
        agency = Agency.objects.create(partnership=partnership, name=f"Agency {number:02d}")
        accepted = Imr.objects.create(review=review, agency=agency, status="accepted")
        ChronologyEntry.objects.bulk_create(entries_for(accepted, ENTRIES // AGENCIES, rng), batch_size=2000)
    return review, imr, chair, author, made


def measure(client, url, params=None, **headers) -> tuple[float, int, int]:
    """Median milliseconds, bytes of the body and queries of a GET, over RUNS after one to warm."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params or {}, **headers)
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params or {}, **headers)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 304), response.status_code
    return statistics.median(times), len(response.content), len(queries)


def once(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return (time.perf_counter() - started) * 1000, result


def built_version(review):
    from chronology.integrated import services as integrated
    from chronology.models import IntegratedChronology

    # Tasks run in-process here, so requesting the build runs it, exactly as the task does.
    chronology = integrated.integrated_request(actor=None, review=review)
    chronology.refresh_from_db()
    if chronology.status != IntegratedChronology.Status.READY:
        from chronology.tasks import integrated_build_task

        integrated_build_task.apply(args=[chronology.pk])
        chronology.refresh_from_db()
    assert chronology.status == IntegratedChronology.Status.READY, chronology.error
    return chronology


def main():
    engine = django_setup()
    from django.test import Client
    from django.urls import reverse

    review, imr, chair, author, made = build_data()
    print(
        f"database: {engine}; {ENTRIES:,} entries in one agency's chronology (bulk_create: {made:.1f} s), {RUNS} runs"
    )

    client = Client()
    sign_in(client, author)
    url = reverse("chronology:entries", args=[review.pk, imr.pk])
    for label, params in (("first page", {}), ("page 200", {"page": 200}), ("last page", {"page": 9999})):
        ms, size, queries = measure(client, url, params)
        print(f"IMR chronology page, {label}: median {ms:.0f} ms, {size / 1000:.0f} KB, {queries} queries")

    entry = imr.entries.order_by("date_start", "pk")[20_000]
    edit = reverse("chronology:entry_edit", args=[review.pk, imr.pk, entry.pk])
    ms, size, _ = measure(client, edit, **HTMX)
    print(f"IMR chronology, edit in place (the row's form): median {ms:.0f} ms, {size / 1000:.1f} KB")
    ms, response = once(lambda: client.post(edit, {"date": entry.date_display, "details": "Edited."}, **HTMX))
    print(f"IMR chronology, save in place (the row): {ms:.0f} ms, {len(response.content) / 1000:.1f} KB")
    create = reverse("chronology:entry_create", args=[review.pk, imr.pk])
    ms, response = once(lambda: client.post(create, {"date": "1 Jun 2010", "details": "Added."}, **HTMX))
    print(f"IMR chronology, add (the new entry's page): {ms:.0f} ms, {len(response.content) / 1000:.0f} KB")
    ms, response = once(lambda: client.post(create, {"date": "Someday", "details": ""}, **HTMX))
    print(f"IMR chronology, add with errors (the form): {ms:.0f} ms, {len(response.content) / 1000:.1f} KB")

    chronology = built_version(review)
    sign_in(client, chair)
    page = reverse("chronology:integrated", args=[review.pk])
    ms, size, queries = measure(client, page)
    print(
        f"integrated page, {chronology.entry_count:,} entries: median {ms:.0f} ms, {size / 1000:.0f} KB,"
        f" {queries} queries"
    )
    ms, size, queries = measure(client, page, {"significant": "yes"})
    print(f"integrated page, filtered (significant): median {ms:.0f} ms, {size / 1000:.0f} KB, {queries} queries")
    timeline = reverse("chronology:timeline", args=[review.pk, chronology.version])
    ms, size, _ = measure(client, timeline)
    etag = client.get(timeline)["ETag"]
    cached_ms, _, _ = measure(client, timeline, HTTP_IF_NONE_MATCH=etag)
    print(
        f"timeline picture, fetched once and then cached: median {ms:.0f} ms, {size / 1_000_000:.2f} MB;"
        f" revalidated (304): median {cached_ms:.0f} ms"
    )

    links = reverse("chronology:links", args=[review.pk])
    total = chronology.links.count()
    for label, params in (
        ("first page", {}),
        ("not decided yet, page 40", {"status": "suggested", "page": 40}),
        ("possible duplicates, last page", {"kind": "possible_duplicate", "page": 99999}),
    ):
        ms, size, queries = measure(client, links, params)
        print(f"suggested links ({total:,}), {label}: median {ms:.0f} ms, {size / 1000:.0f} KB, {queries} queries")


if __name__ == "__main__":
    main()
