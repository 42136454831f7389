"""Fill a PostgreSQL database of its own with a demo-scale service: many boards, their reviews and
millions of chronology entries, written with COPY (psycopg 3's ``cursor.copy``), not the ORM.

    .venv/bin/python bench/generate_scale.py                                   # a quick run
    .venv/bin/python bench/generate_scale.py --partnerships 200 --reviews 2000 --entries 5000000

The database (``--database-url``, default postgres://postgres@127.0.0.1:5432/casereview_scale) is
created if missing, migrated, then EMPTIED and filled. It refuses a database whose name starts
with "test" and one holding a partnership it did not write (its slugs start with "scale-").

What it writes, per board: 12 agencies, the 11 default themes, a board administrator, 2 chairs,
6 panel members and an IMR author for each agency (each user signs in with the password
``casereview-scale``); per review: 10 IMRs (mostly accepted), 4 people in the register, the chair,
4 panel members and each IMR's author as members, 6 recommendations with 3 actions each (every
status, target dates either side of today) and, for every fifth review, a clock extension. The
chronology entries are shared out evenly over the IMRs. The first board is the largest: it has a
tenth of the reviews besides its share, as a county board has beside a small borough's.

Entries are written with the table's secondary indexes dropped and foreign-key triggers off
(session_replication_role = replica: the rows are consistent by construction), then the indexes
are built again from their own definitions and every table is analysed. On this 2-core machine
5 million entries take a few minutes.

This module is the command and the whole run; the rows are written by bench/scale_rows.py and the
chronology entries by bench/scale_entries.py."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from scale_entries import entries_loading, write_entries
from scale_rows import NOW, SLUG_PREFIX, Counts, World, reset_sequences, write_action_plans, write_boards, write_reviews

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/casereview_scale"
PASSWORD = "casereview-scale"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("SCALE_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--partnerships", type=int, default=20)
    parser.add_argument("--reviews", type=int, default=200)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--jobs", type=int, default=2, help="connections writing entries at once (default 2)")
    args = parser.parse_args(argv)
    if min(args.partnerships, args.reviews, args.jobs) < 1 or args.entries < 0:
        parser.error("--partnerships and --reviews must be at least 1, --entries at least 0")
    if args.reviews < args.partnerships:
        parser.error("--reviews must be at least --partnerships (every board has a review)")
    return args


# --- the database ------------------------------------------------------------------------------


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def ensure_database(url: str) -> None:
    """Create the database if it does not exist (on the same server, through its postgres database)."""
    import psycopg

    name = database_name(url)
    if not name or name.lower().startswith("test"):
        raise SystemExit(
            f"generate_scale: refusing database {name!r}: give a database of its own, e.g. casereview_scale"
        )
    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def django_setup(url: str) -> None:
    """Django on the scale database, migrated."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def empty_database() -> None:
    """Flush the database, refusing one that holds a board this generator did not write."""
    from django.core.management import call_command

    from reviews.models import Partnership

    foreign = Partnership.objects.exclude(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)[:3]
    if foreign:
        raise SystemExit(f"generate_scale: the database holds boards it did not write ({', '.join(foreign)}); refusing")
    call_command("flush", interactive=False, verbosity=0)


# --- the whole ---------------------------------------------------------------------------------


def generate(url: str, partnerships: int, reviews: int, entries: int, *, jobs: int = 2, say=print) -> Counts:
    """Empty the (migrated) database at ``url`` and fill it; returns what was written."""
    import psycopg
    from django.contrib.auth.hashers import make_password
    from django.db import connections

    from accounts.models import User
    from actions.models import Action, Recommendation, Theme
    from chronology.models import ChronologyEntry
    from reviews.models import (
        Agency,
        ClockExtension,
        Imr,
        Partnership,
        PartnershipMembership,
        Person,
        Review,
        ReviewMembership,
    )

    empty_database()
    connections.close_all()
    counts = Counts(partnerships, reviews, entries)
    world = World(today=datetime.date.today(), now=NOW, password=make_password(PASSWORD))
    started = time.perf_counter()
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no foreign-key trigger per row
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        write_boards(cursor, world, counts)
        write_reviews(cursor, world, counts)
        write_action_plans(cursor, world, counts)
        say(f"  boards, reviews, IMRs, members and action plans written in {time.perf_counter() - started:.1f} s")
        table = ChronologyEntry._meta.db_table
        indexes = entries_loading(cursor, table)
        connection.commit()
        step = time.perf_counter()
        try:
            write_entries(url, world, counts, jobs)
            say(f"  {counts.written['chronology entries']:,} chronology entries copied"
                f" in {time.perf_counter() - step:.1f} s"
                f" ({jobs} connections)")  # fmt: skip
        finally:
            step = time.perf_counter()
            for definition in indexes:
                cursor.execute(definition)
            connection.commit()
            say(f"  {len(indexes)} indexes of the entries built again in {time.perf_counter() - step:.1f} s")
        models = [Partnership, Agency, Theme, User, PartnershipMembership, Review, Person, ClockExtension, Imr,
                  ReviewMembership, Recommendation, Action, ChronologyEntry]  # fmt: skip
        reset_sequences(cursor, models)
        connection.commit()
        connection.autocommit = True
        step = time.perf_counter()
        for model in models:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
        say(f"  analysed in {time.perf_counter() - step:.1f} s; {time.perf_counter() - started:.1f} s in all")
    return counts


# --- reused by the benchmarks ---------------------------------------------------------------


def existing_counts(url: str) -> tuple[int, int, int] | None:
    """(partnerships, reviews, entries) already written by this generator at ``url``, or None."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            if _count(connection, "SELECT count(*) FROM reviews_partnership WHERE slug NOT LIKE %s", SLUG_PREFIX + "%"):
                return None
            return (
                _count(connection, "SELECT count(*) FROM reviews_partnership"),
                _count(connection, "SELECT count(*) FROM reviews_review"),
                _count(connection, "SELECT count(*) FROM chronology_chronologyentry"),
            )
    except psycopg.Error:
        return None


def _count(connection, sql: str, *params) -> int:
    row = connection.execute(sql, params).fetchone()
    return row[0] if row else 0


def ensure(url: str, partnerships: int, reviews: int, entries: int, *, say=print) -> bool:
    """Django on the scale database at ``url``, filled at this scale: generated unless a run at
    the same scale already is there (a benchmark reuses it; the generator always writes afresh).
    False, having said why, when no PostgreSQL answers there."""
    import psycopg

    try:
        ensure_database(url)
    except psycopg.OperationalError as error:
        say(f"skipped: demo-scale figures need PostgreSQL ({database_name(url)}): {str(error).strip()[:200]}")
        return False
    found = existing_counts(url)
    django_setup(url)
    if found == (partnerships, reviews, entries):
        say(
            f"scale data: {partnerships} boards, {reviews} reviews, {entries:,} entries already in {database_name(url)}"
        )
        return True
    say(
        f"scale data: generating {partnerships} boards, {reviews} reviews, {entries:,} entries"
        f" into {database_name(url)}"
    )
    generate(url, partnerships, reviews, entries, say=say)
    return True


def main(argv: list[str]) -> int:
    args = parse(argv)
    ensure_database(args.database_url)
    django_setup(args.database_url)
    print(f"generate_scale: {args.partnerships} boards, {args.reviews} reviews, {args.entries:,} entries"
          f" into {database_name(args.database_url)}")  # fmt: skip
    counts = generate(args.database_url, args.partnerships, args.reviews, args.entries, jobs=args.jobs)
    print("  " + ", ".join(f"{n:,} {what}" for what, n in counts.written.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
