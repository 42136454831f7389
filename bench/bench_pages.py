"""Server time and query count of the pages every user opens first, on a large board.

A board with 200 reviews, each with 12 IMRs, 12 people and 16 members. Times the
"my reviews" page for the board administrator (who sees all 200) and a review overview
for its chair, through Django's full request cycle (middleware, sessions, templates),
beside the bare SQL that fetches the same rows as a floor."""

import datetime
import statistics
import time

from _setup import django_setup, sign_in

REVIEWS, IMRS, PEOPLE, MEMBERS, RUNS = 200, 12, 12, 16, 30


def build():
    from accounts.models import User
    from reviews.models import (
        Agency,
        Imr,
        Partnership,
        PartnershipMembership,
        Person,
        Review,
        ReviewMembership,
    )

    partnership = Partnership.objects.create(name="Benchshire Safeguarding Partnership", slug="bench", kind="children")
    agencies = Agency.objects.bulk_create(Agency(partnership=partnership, name=f"Agency {n}") for n in range(IMRS))
    users = User.objects.bulk_create(
        User(username=f"member{n}", email=f"member{n}@example.org", first_name="Member", last_name=str(n))
        for n in range(MEMBERS)
    )
    admin = User.objects.create_user("admin", "admin@example.org", "bench-password-123")
    chair = User.objects.create_user("chair", "chair@example.org", "bench-password-123")
    PartnershipMembership.objects.create(user=admin, partnership=partnership)
    reviews = Review.objects.bulk_create(
        Review(
            partnership=partnership,
            reference=f"BCSPR-{n:04d}",
            review_type="cspr",
            case_name=f"Child {n}",
            scope_start=datetime.date(2020, 1, 1),
            scope_end=datetime.date(2022, 1, 1),
        )
        for n in range(REVIEWS)
    )
    Imr.objects.bulk_create(Imr(review=r, agency=a, status="in_progress") for r in reviews for a in agencies)
    Person.objects.bulk_create(
        Person(review=r, real_name=f"Person {r.pk}-{n}", designation=f"Adult {n}")
        for r in reviews
        for n in range(PEOPLE)
    )
    ReviewMembership.objects.bulk_create(
        ReviewMembership(review=r, user=u, role="panel") for r in reviews for u in users
    )
    ReviewMembership.objects.bulk_create(ReviewMembership(review=r, user=chair, role="chair") for r in reviews)
    return admin, chair, reviews[REVIEWS // 2]


def measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), sorted(times)[int(RUNS * 0.95) - 1], len(queries)


def floor(sql_fn):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        sql_fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    engine = django_setup()
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from reviews.models import Review

    admin, chair, review = build()
    print(f"database: {engine}; {REVIEWS} reviews x {IMRS} IMRs, {PEOPLE} people, {MEMBERS + 1} members; {RUNS} runs")
    client = Client()
    sign_in(client, admin)
    median, p95, queries = measure(client, reverse("home"))
    bare = floor(lambda: list(Review.objects.select_related("partnership").annotate(n=Count("imrs"))))
    print(
        f"my reviews (board admin, {REVIEWS} rows): median {median:.1f} ms, p95 {p95:.1f} ms, {queries} queries;"
        f" bare SQL for the same rows {bare:.1f} ms"
    )
    sign_in(client, chair)
    median, p95, queries = measure(client, reverse("reviews:detail", args=[review.pk]))
    bare = floor(
        lambda: (
            list(review.imrs.select_related("agency", "author")),
            list(review.people.all()),
            list(review.memberships.select_related("user", "agency")),
        )
    )
    print(
        f"review overview (chair): median {median:.1f} ms, p95 {p95:.1f} ms, {queries} queries;"
        f" bare SQL for the same rows {bare:.1f} ms"
    )


if __name__ == "__main__":
    main()
