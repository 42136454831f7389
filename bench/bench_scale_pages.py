"""The board dashboard and "My reviews" at demo scale: 200 boards, 2,000 reviews, 5 million
chronology entries (bench/generate_scale.py, in a database of its own, generated once and reused).

Server time through Django's full request cycle (middleware, session in the database, templates),
median and 95th percentile over repeated requests, with the query count and the slowest query of
each page (its EXPLAIN ANALYZE with BENCH_EXPLAIN=1). The goal is 300 ms for each. Beside the
times, the CPU each request used, in this process and in its PostgreSQL server process: on a
machine shared with other work, the time includes waiting for a core, and the CPU does not.

    SCALE_DATABASE_URL   the database (default postgres://postgres@127.0.0.1:5432/casereview_scale)
    BENCH_SCALE          boards,reviews,entries (default 200,2000,5000000; e.g. 20,200,200000 for a quick run)
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_scale  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 30))
GOAL_MS = 300
SCALE = tuple(int(n) for n in os.environ.get("BENCH_SCALE", "200,2000,5000000").split(","))


def setup() -> bool:
    sys.stdout.reconfigure(line_buffering=True)
    url = os.environ.get("SCALE_DATABASE_URL", generate_scale.DEFAULT_URL)
    if not generate_scale.ensure(url, *SCALE):
        return False
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)
    return True


def measure(client, url: str, data=None) -> dict:
    """Median and p95 of RUNS requests, the query count and the slowest query of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.get(url, data).status_code == 200  # warm
    times, cpu, db_cpu = [], [], []
    backend = backend_pid()
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started, started_cpu, started_db = time.perf_counter(), time.process_time(), cpu_seconds(backend)
            response = client.get(url, data)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            db_cpu.append((cpu_seconds(backend) - started_db) * 1000)
        assert response.status_code == 200, response.status_code
    selects = [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    slowest = max(selects, key=lambda q: float(q["time"]))
    ordered = sorted(times)
    return {
        "median": statistics.median(times), "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)],
        "queries": len(queries.captured_queries), "kb": len(response.content) // 1024,
        "cpu": statistics.median(cpu), "db_cpu": statistics.mean(db_cpu),
        "sql_ms": sum(float(q["time"]) for q in queries.captured_queries) * 1000,
        "slowest_ms": float(slowest["time"]) * 1000, "slowest_sql": slowest["sql"],
    }  # fmt: skip


def backend_pid() -> int:
    """The PostgreSQL server process of this connection, to read the CPU time it spends."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a local process so far (0 when the server is on another machine).
    Counted in clock ticks (10 ms): the figure is a mean over the requests."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def explain(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        for (line,) in cursor.fetchall():
            print("      " + line)


def report(label: str, figures: dict) -> bool:
    met = figures["p95"] < GOAL_MS
    print(
        f"  {label:<52} median {figures['median']:6.1f} ms  p95 {figures['p95']:6.1f} ms"
        f"  (CPU: Python {figures['cpu']:5.1f} ms, PostgreSQL {figures['db_cpu']:4.1f} ms;"
        f" SQL {figures['sql_ms']:5.1f} ms in {figures['queries']} queries,"
        f" slowest {figures['slowest_ms']:.1f} ms)  {figures['kb']} KB"
        f"  {'' if met else f'OVER {GOAL_MS} ms'}"
    )
    if os.environ.get("BENCH_EXPLAIN") == "1":
        print(f"    slowest: {figures['slowest_sql'][:300]}")
        explain(figures["slowest_sql"])
    return met


def pages() -> list[tuple[str, str, str, dict | None]]:
    """(label, username, url, query) of each page measured, on the largest board."""
    from django.db.models import Count
    from django.urls import reverse

    from actions.models import Action
    from reviews.models import Partnership, Review, ReviewMembership

    board = Partnership.objects.annotate(n=Count("reviews")).order_by("-n", "pk").first()
    reviews = Review.objects.filter(partnership=board).count()
    actions = Action.objects.filter(recommendation__review__partnership=board).count()
    admin = board.memberships.select_related("user").first().user
    chair = (
        ReviewMembership.objects.filter(review__partnership=board, role="chair")
        .values("user__username").annotate(n=Count("id")).order_by("-n").first()
    )  # fmt: skip
    author = ReviewMembership.objects.filter(review__partnership=board, role="imr_author").first().user
    agency = board.agencies.order_by("pk").first()
    dashboard = reverse("actions:dashboard", args=[board.pk])
    print(f"largest board: {board.name}, {reviews} reviews, {actions:,} actions; {RUNS} requests each")
    return [
        (f"board dashboard ({reviews} reviews, {actions:,} actions)", admin.username, dashboard, None),
        ("board dashboard filtered (agency, type)", admin.username, dashboard,
         {"agency": agency.pk, "review_type": "dhr"}),
        (f"my reviews, board administrator ({reviews} reviews)", admin.username, reverse("home"), None),
        (f"my reviews, chair ({chair['n']} reviews)", chair["user__username"], reverse("home"), None),
        ("my reviews, IMR author", author.username, reverse("home"), None),
    ]  # fmt: skip


def main() -> int:
    if not setup():
        return 0
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from chronology.models import ChronologyEntry
    from tests.conftest import force_login_with_mfa

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [ChronologyEntry._meta.db_table]
        )
        print(
            f"database: PostgreSQL {connection.settings_dict['NAME']},"
            f" about {cursor.fetchone()[0]:,} chronology entries"
        )
    print(f"machine: {os.cpu_count()} CPUs shared with others, load average {os.getloadavg()[0]:.1f}: times are noisy")
    met = True
    for label, username, url, data in pages():
        client = Client()
        force_login_with_mfa(client, User.objects.get(username=username))
        met &= report(label, measure(client, url, data))
    print(f"goal: every page p95 under {GOAL_MS} ms: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
