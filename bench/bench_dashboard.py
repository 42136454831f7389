"""Server time and query count of the board dashboard on a large board.

A board with 50 reviews (every type and stage, with notification and decision dates so the
statutory clocks run) and 2,000 actions in every status with target dates either side of
today, plus 20 agencies, 11 themes and 600 IMRs, some overdue. Times the dashboard for the
board administrator, unfiltered and filtered by agency, through Django's full request cycle,
and the task that builds the action plans across the board as XLSX and PDF."""

import datetime
import statistics
import time

from _setup import django_setup, sign_in

REVIEWS, ACTIONS, AGENCIES, IMRS_PER_REVIEW, RECOMMENDATIONS_PER_REVIEW, RUNS = 50, 2000, 20, 12, 8, 30


def build():
    from accounts.models import User
    from actions import services
    from actions.models import Action, Recommendation, Theme
    from reviews.models import Agency, ClockExtension, Imr, Partnership, PartnershipMembership, Review

    today = datetime.date.today()
    partnership = Partnership.objects.create(name="Benchshire Safeguarding Partnership", slug="bench", kind="children")
    admin = User.objects.create_user("admin", "admin@example.org", "bench-password-123")
    PartnershipMembership.objects.create(user=admin, partnership=partnership)
    agencies = Agency.objects.bulk_create(Agency(partnership=partnership, name=f"Agency {n}") for n in range(AGENCIES))
    services.themes_ensure_defaults(partnership=partnership)
    themes = list(Theme.objects.filter(partnership=partnership))
    types, stages = list(Review.Type.values), list(Review.Stage.values)
    reviews = Review.objects.bulk_create(
        Review(
            partnership=partnership,
            reference=f"BREV-{n:03d}",
            review_type=types[n % len(types)],
            stage=stages[n % len(stages)],
            case_name=f"Family {n}",
            incident_date=today - datetime.timedelta(days=40 + 5 * n),
            notification_date=today - datetime.timedelta(days=35 + 5 * n),
            decision_date=today - datetime.timedelta(days=20 + 5 * n),
            scope_start=datetime.date(2020, 1, 1),
            scope_end=datetime.date(2022, 1, 1),
        )
        for n in range(REVIEWS)
    )
    ClockExtension.objects.bulk_create(
        ClockExtension(review=r, milestone="completion", due_date=today + datetime.timedelta(days=90), reason="Trial")
        for r in reviews[::5]
    )
    Imr.objects.bulk_create(
        Imr(
            review=r,
            agency=agencies[(i + r.pk) % AGENCIES],
            due_date=today + datetime.timedelta(days=(i * 7) - 40),
            status="in_progress" if i % 2 else "accepted",
        )
        for r in reviews
        for i in range(IMRS_PER_REVIEW)
    )
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(review=r, number=k + 1, text=f"Recommendation {k + 1}", theme=themes[(k + r.pk) % len(themes)])
        for r in reviews
        for k in range(RECOMMENDATIONS_PER_REVIEW)
    )
    statuses = list(Action.Status.values)
    actions = []
    for n in range(ACTIONS):
        status = statuses[n % len(statuses)]
        done = status in ("complete", "assured")
        actions.append(
            Action(
                recommendation=recommendations[n % len(recommendations)],
                text=f"Action {n}",
                lead_agency=agencies[n % AGENCIES],
                target_date=today + datetime.timedelta(days=(n % 240) - 120),
                status=status,
                completed_on=today - datetime.timedelta(days=1) if done else None,
                outcome="Done" if done else "",
            )
        )
    Action.objects.bulk_create(actions)
    return admin, partnership, agencies[3]


def measure(client, url, data=None, runs=RUNS):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, data)  # warm
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, data)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), sorted(times)[max(int(runs * 0.95) - 1, 0)], len(queries), len(response.content)


def main():
    engine = django_setup()
    from django.test import Client
    from django.urls import reverse

    admin, partnership, agency = build()
    print(f"database: {engine}; {REVIEWS} reviews, {ACTIONS} actions, {AGENCIES} agencies; {RUNS} runs")
    client = Client()
    sign_in(client, admin)
    url = reverse("actions:dashboard", args=[partnership.pk])
    median, p95, queries, size = measure(client, url)
    print(f"board dashboard: median {median:.1f} ms, p95 {p95:.1f} ms, {queries} queries, {size // 1024} KB")
    median, p95, queries, size = measure(client, url, {"agency": agency.pk, "review_type": "dhr"})
    print(f"board dashboard filtered (agency, type): median {median:.1f} ms, p95 {p95:.1f} ms, {queries} queries")
    # The board-wide export, as the task builds it (outside the web request).
    from actions.models import BoardPlanExport
    from actions.tasks import board_export_build_task
    from casereview.storage import file_size

    for fmt in ("xlsx", "pdf"):
        export = BoardPlanExport.objects.create(partnership=partnership, format=fmt)
        start = time.perf_counter()
        board_export_build_task(export.pk)
        export = BoardPlanExport.objects.get(pk=export.pk)
        elapsed = (time.perf_counter() - start) * 1000
        size = file_size(export.file) // 1024
        print(f"board action plans {fmt.upper()} task: {elapsed:.0f} ms, {export.action_count} rows, {size} KB")


if __name__ == "__main__":
    main()
