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
5 million entries take a few minutes."""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/casereview_scale"
PASSWORD = "casereview-scale"
AGENCIES, IMRS_PER_REVIEW, PEOPLE, PANEL, PANEL_PER_REVIEW, CHAIRS = 12, 10, 4, 6, 4, 2
RECOMMENDATIONS, ACTIONS_PER_RECOMMENDATION = 6, 3
SLUG_PREFIX = "scale-"
NOW = datetime.datetime.now(datetime.UTC)
AGENCY_KINDS = [
    ("police", "Police"), ("childrens_social_care", "Children's Social Care"),
    ("adult_social_care", "Adult Social Care"),
    ("health_visiting", "Community Health"), ("gp", "GP Practice"), ("hospital", "Hospital Trust"),
    ("mental_health", "Mental Health Trust"), ("ambulance", "Ambulance Service"), ("probation", "Probation Service"),
    ("housing", "Housing"), ("domestic_abuse_service", "Domestic Abuse Service"), ("education", "Education"),
]  # fmt: skip
EVENTS = ["Home visit", "Telephone call", "Appointment", "Strategy discussion", "Referral", "Attendance at A&E",
          "Police call-out", "Case conference", "Letter", "Missed appointment"]  # fmt: skip
PEOPLE_NAMES = [("Adult A", "victim"), ("Adult B", "perpetrator"), ("Child 1", "child"), ("Adult C", "family_member")]


@dataclass
class Counts:
    partnerships: int
    reviews: int
    entries: int
    written: dict[str, int] = field(default_factory=dict)


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


# --- writing rows ------------------------------------------------------------------------------


def copy_rows(cursor, model, rows) -> int:
    """COPY ``rows`` (dicts of field attnames) into the model's table; a field left out gets its
    default, as the ORM would give it. Returns the number of rows."""
    from django.db import connection

    fields = model._meta.concrete_fields
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = NOW
        elif f.has_default() or not f.null:
            value = f.get_default()
            defaults[f.attname] = f.get_db_prep_save(value, connection) if value is not None else value
        else:
            defaults[f.attname] = None
    columns = ", ".join(f'"{f.column}"' for f in fields)
    n = 0
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([_db_value(f, row[f.attname], connection) if f.attname in row else defaults[f.attname]
                            for f in fields])  # fmt: skip
            n += 1
    return n


def _db_value(f, value, connection):
    if f.get_internal_type() == "JSONField":
        return f.get_db_prep_save(value, connection)
    return value


def reset_sequences(cursor, models) -> None:
    for model in models:
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
            f' COALESCE((SELECT max(id) FROM "{table}"), 0) + 1, false)'
        )


@dataclass
class World:
    """Ids of what is written, so that each table's rows can name their parents without a query."""

    today: datetime.date
    now: datetime.datetime
    password: str
    agencies: dict[int, list[int]] = field(default_factory=dict)  # partnership -> agency ids
    themes: dict[int, list[int]] = field(default_factory=dict)
    admins: dict[int, int] = field(default_factory=dict)
    chairs: dict[int, list[int]] = field(default_factory=dict)
    panel: dict[int, list[int]] = field(default_factory=dict)
    authors: dict[int, int] = field(default_factory=dict)  # agency -> its IMR author
    reviews: list[tuple[int, int]] = field(default_factory=list)  # (review id, partnership id)
    imrs: list[tuple[int, int, int]] = field(default_factory=list)  # (imr id, review id, author id)
    recommendations: list[tuple[int, int, int]] = field(default_factory=list)  # (id, review, partnership)


def review_partnership(n: int, counts: Counts) -> int:
    """The board of the n-th review: the first board takes a tenth besides its share."""
    extra = counts.reviews // 10 if counts.partnerships > 1 else 0
    if n < extra:
        return 1
    return (n - extra) % counts.partnerships + 1


def write_boards(cursor, world: World, counts: Counts) -> None:
    from accounts.models import User
    from actions.models import DEFAULT_THEMES, Theme
    from reviews.models import Agency, Partnership, PartnershipMembership

    kinds = ["children", "adults", "community_safety"]
    partnerships = [
        {"id": p, "name": f"Scaleshire {p:03d} Safeguarding Partnership", "slug": f"{SLUG_PREFIX}{p:03d}",
         "kind": kinds[p % 3], "created_at": world.now}
        for p in range(1, counts.partnerships + 1)
    ]  # fmt: skip
    counts.written["partnerships"] = copy_rows(cursor, Partnership, partnerships)
    agencies, themes, users, memberships = [], [], [], []
    for p in range(1, counts.partnerships + 1):
        world.agencies[p] = list(range((p - 1) * AGENCIES + 1, p * AGENCIES + 1))
        for agency_id, (kind, label) in zip(world.agencies[p], AGENCY_KINDS, strict=True):
            agencies.append(
                {"id": agency_id, "partnership_id": p, "name": label, "kind": kind, "created_at": world.now}
            )
        first_theme = (p - 1) * len(DEFAULT_THEMES) + 1
        world.themes[p] = list(range(first_theme, first_theme + len(DEFAULT_THEMES)))
        themes += [{"id": t, "partnership_id": p, "name": name, "created_at": world.now}
                   for t, name in zip(world.themes[p], DEFAULT_THEMES, strict=True)]  # fmt: skip
        board_users = _board_users(world, p)
        users += board_users
        memberships.append({"id": p, "user_id": world.admins[p], "partnership_id": p, "role": "board_admin",
                            "created_at": world.now})  # fmt: skip
    counts.written["agencies"] = copy_rows(cursor, Agency, agencies)
    counts.written["themes"] = copy_rows(cursor, Theme, themes)
    counts.written["users"] = copy_rows(cursor, User, users)
    counts.written["partnership memberships"] = copy_rows(cursor, PartnershipMembership, memberships)


def _board_users(world: World, p: int) -> list[dict]:
    """The board's people: its administrator, chairs, panel and one IMR author per agency."""
    per_board = 1 + CHAIRS + PANEL + AGENCIES
    first = (p - 1) * per_board + 1
    ids = list(range(first, first + per_board))
    world.admins[p] = ids[0]
    world.chairs[p] = ids[1 : 1 + CHAIRS]
    world.panel[p] = ids[1 + CHAIRS : 1 + CHAIRS + PANEL]
    for agency_id, user_id in zip(world.agencies[p], ids[1 + CHAIRS + PANEL :], strict=True):
        world.authors[agency_id] = user_id
    roles = ["admin"] + [f"chair{n}" for n in range(CHAIRS)] + [f"panel{n}" for n in range(PANEL)]
    roles += [f"author{n}" for n in range(AGENCIES)]
    return [
        {"id": user_id, "username": f"p{p:03d}-{role}", "email": f"p{p:03d}-{role}@scale.example.org",
         "first_name": role.rstrip("0123456789").title(), "last_name": f"{p:03d}-{role}", "password": world.password,
         "is_active": True, "date_joined": world.now, "job_title": ""}
        for user_id, role in zip(ids, roles, strict=True)
    ]  # fmt: skip


def write_reviews(cursor, world: World, counts: Counts) -> None:
    from reviews.models import ClockExtension, Imr, Person, Review, ReviewMembership

    types, stages = list(Review.Type.values), list(Review.Stage.values)
    reviews, people, extensions = [], [], []
    for n in range(counts.reviews):
        review_id, p = n + 1, review_partnership(n, counts)
        world.reviews.append((review_id, p))
        reviews.append({
            "id": review_id, "partnership_id": p, "reference": f"SR-{review_id:05d}",
            "review_type": types[n % len(types)],
            "stage": stages[n % len(stages)], "case_name": f"Family {review_id}",
            "incident_date": world.today - datetime.timedelta(days=60 + n % 700),
            "notification_date": world.today - datetime.timedelta(days=55 + n % 700),
            "decision_date": world.today - datetime.timedelta(days=40 + n % 700),
            "scope_start": datetime.date(2019, 1, 1), "scope_end": datetime.date(2023, 12, 31),
            "created_at": world.now - datetime.timedelta(minutes=n), "updated_at": world.now,
        })  # fmt: skip
        people += [{"id": n * PEOPLE + k + 1, "review_id": review_id, "real_name": f"{name} of {review_id}",
                    "designation": name, "relationship": relationship, "created_at": world.now, "updated_at": world.now}
                   for k, (name, relationship) in enumerate(PEOPLE_NAMES)]  # fmt: skip
        if n % 5 == 0:
            extensions.append({"id": len(extensions) + 1, "review_id": review_id, "milestone": "completion",
                               "due_date": world.today + datetime.timedelta(days=90), "reason": "Awaiting the inquest",
                               "created_at": world.now})  # fmt: skip
    counts.written["reviews"] = copy_rows(cursor, Review, reviews)
    counts.written["people"] = copy_rows(cursor, Person, people)
    counts.written["clock extensions"] = copy_rows(cursor, ClockExtension, extensions)
    counts.written["IMRs"] = copy_rows(cursor, Imr, _imrs(world))
    counts.written["review memberships"] = copy_rows(cursor, ReviewMembership, _review_memberships(world))


IMR_STATUSES = ["accepted"] * 6 + ["submitted", "in_progress", "requested", "returned"]


def _imrs(world: World):
    """Ten IMRs a review, mostly accepted; the rest due either side of today, some overdue."""
    imr_id = 0
    for review_id, p in world.reviews:
        agencies = world.agencies[p]
        for k in range(IMRS_PER_REVIEW):
            imr_id += 1
            agency = agencies[(review_id + k) % len(agencies)]
            status = IMR_STATUSES[(review_id + k) % len(IMR_STATUSES)]
            done = status in ("accepted", "submitted")
            world.imrs.append((imr_id, review_id, world.authors[agency]))
            yield {
                "id": imr_id, "review_id": review_id, "agency_id": agency, "status": status,
                "due_date": world.today + datetime.timedelta(days=(review_id * 7 + k * 11) % 120 - 60),
                "author_id": world.authors[agency], "requested_at": world.now, "updated_at": world.now,
                "submitted_at": world.now if done else None, "accepted_at": world.now if status == "accepted" else None,
            }  # fmt: skip


def _review_memberships(world: World):
    """The chair, four of the board's panel, and each IMR's author (for its agency)."""
    membership_id = 0
    agency_of_author = {user: agency for agency, user in world.authors.items()}
    imrs_by_review: dict[int, list[int]] = {}
    for _, review_id, author in world.imrs:
        imrs_by_review.setdefault(review_id, []).append(author)
    for review_id, p in world.reviews:
        chair = world.chairs[p][review_id % CHAIRS]
        panel = [world.panel[p][(review_id + k) % PANEL] for k in range(PANEL_PER_REVIEW)]
        rows = [(chair, "chair", None)] + [(user, "panel", None) for user in panel]
        rows += [(author, "imr_author", agency_of_author[author]) for author in imrs_by_review[review_id]]
        for user, role, agency in rows:
            membership_id += 1
            yield {"id": membership_id, "review_id": review_id, "user_id": user, "role": role, "agency_id": agency,
                   "created_at": world.now}  # fmt: skip


def write_action_plans(cursor, world: World, counts: Counts) -> None:
    """Six recommendations a review, three actions each, in every status either side of today."""
    from actions.models import Action, Recommendation

    recommendations, actions = [], []
    statuses = list(Action.Status.values)
    for review_id, p in world.reviews:
        for k in range(RECOMMENDATIONS):
            rec_id = len(recommendations) + 1
            recommendations.append({
                "id": rec_id, "review_id": review_id, "number": k + 1,
                "text": f"Recommendation {k + 1} of review {review_id}",
                "theme_id": world.themes[p][(review_id + k) % len(world.themes[p])], "created_at": world.now,
                "updated_at": world.now,
            })  # fmt: skip
            for j in range(ACTIONS_PER_RECOMMENDATION):
                n = len(actions)
                status = statuses[n % len(statuses)]
                done = status in ("complete", "assured")
                actions.append({
                    "id": n + 1, "recommendation_id": rec_id, "text": f"Action {j + 1} on recommendation {k + 1}",
                    "lead_agency_id": world.agencies[p][n % AGENCIES],
                    "target_date": world.today + datetime.timedelta(days=n % 240 - 120), "status": status,
                    "completed_on": world.today - datetime.timedelta(days=3) if done else None,
                    "outcome": "Done and evidenced" if done else "", "created_at": world.now, "updated_at": world.now,
                })  # fmt: skip
    counts.written["recommendations"] = copy_rows(cursor, Recommendation, recommendations)
    counts.written["actions"] = copy_rows(cursor, Action, actions)


# --- the chronology entries: the bulk of the data ---------------------------------------------


def _entry_template(now: datetime.datetime) -> str:
    """A COPY text line with %-placeholders for what varies; every other column as its default."""
    from chronology.models import ChronologyEntry

    varying = {"id": "%d", "imr_id": "%d", "position": "%d", "date_start": "%s", "date_end": "%s",
               "date_display": "%s", "time": "%s", "people": "%s", "event": "%s", "details": "%s",
               "significant": "%s", "created_by_id": "%d", "updated_by_id": "%d"}  # fmt: skip
    fixed = {"precision": "day", "source": "Case notes", "practitioner": "Duty social worker",
             "outcome": "Advice given; no further action.", "comment": "",
             "created_at": now.isoformat(), "updated_at": now.isoformat()}  # fmt: skip
    parts = []
    for f in ChronologyEntry._meta.concrete_fields:
        if f.attname in varying:
            parts.append(varying[f.attname])
        elif f.attname in fixed:
            parts.append(fixed[f.attname].replace("%", "%%"))
        else:  # a column this generator does not know yet: its default, or NULL
            default = f.get_default() if (f.has_default() or not f.null) else None
            parts.append("\\N" if default is None else str(default).replace("%", "%%"))
    return "\t".join(parts) + "\n"


def write_entries(url: str, world: World, counts: Counts, jobs: int) -> None:
    """The entries, shared evenly over the IMRs, by COPY in large blocks of text: ``jobs``
    connections at once, each with a share of the IMRs (the database computes each entry's search
    columns as it stores it, which is most of the time)."""
    from concurrent.futures import ThreadPoolExecutor

    per_imr, extra = divmod(counts.entries, len(world.imrs))
    shares = [(n * len(world.imrs)) // jobs for n in range(jobs + 1)]
    with ThreadPoolExecutor(jobs) as pool:
        futures = [
            pool.submit(_copy_entries, url, world, range(shares[n], shares[n + 1]), per_imr, extra) for n in range(jobs)
        ]
        counts.written["chronology entries"] = sum(future.result() for future in futures)


def _copy_entries(url: str, world: World, indexes: range, per_imr: int, extra: int) -> int:
    import psycopg
    from psycopg.copy import QueuedLibpqWriter

    from chronology.models import ChronologyEntry

    table = ChronologyEntry._meta.db_table
    columns = ", ".join(f'"{f.column}"' for f in ChronologyEntry._meta.concrete_fields)
    template = _entry_template(world.now)
    first, span = datetime.date(2019, 1, 1), 5 * 365
    days = [(day.isoformat(), day.strftime("%d/%m/%Y")) for day in (first + datetime.timedelta(n) for n in range(span))]
    people = [f'["{name}"]' for name, _ in PEOPLE_NAMES] + ['["Adult A", "Child 1"]']
    entry_id = indexes.start * per_imr + min(indexes.start, extra)
    written, block = 0, []
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET synchronous_commit = off")
        # The rows are made here while the server reads the last block (a writer thread sends them).
        with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN', writer=QueuedLibpqWriter(cursor)) as copy:
            for index in indexes:
                imr_id, _, author = world.imrs[index]
                for position in range(1, per_imr + (index < extra) + 1):
                    entry_id += 1
                    text, display = days[(entry_id * 37 + position * 11) % span]
                    block.append(template % (
                        entry_id, imr_id, position, text, text, display,
                        "\\N" if position % 3 else f"{9 + position % 9:02d}:{position % 60:02d}:00",
                        people[position % len(people)], EVENTS[entry_id % len(EVENTS)],
                        f"Entry {position} of this agency: {EVENTS[(entry_id + 3) % len(EVENTS)].lower()} about the"
                        f" family; the practitioner recorded concerns about home conditions and the child's attendance"
                        f" ({entry_id}).",
                        "t" if position % 17 == 0 else "f", author, author,
                    ))  # fmt: skip
                    if len(block) >= 20_000:
                        copy.write("".join(block))
                        written += len(block)
                        block.clear()
            if block:
                copy.write("".join(block))
                written += len(block)
    return written


def entries_loading(cursor, table: str):
    """Drop the table's secondary indexes for a bulk load; returns what builds them again. An
    index of the model's that a run stopped midway left out is made first, so it is never lost."""
    from django.db import connection

    from chronology.models import ChronologyEntry

    with connection.schema_editor(collect_sql=True) as editor:
        for statement in editor._model_indexes_sql(ChronologyEntry):
            cursor.execute(str(statement).replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN"
        " (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    definitions = cursor.fetchall()
    for name, _ in definitions:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in definitions]


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


def existing_counts(url: str) -> tuple[int, int, int] | None:
    """(partnerships, reviews, entries) already written by this generator at ``url``, or None."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            foreign = connection.execute(
                "SELECT count(*) FROM reviews_partnership WHERE slug NOT LIKE %s", [SLUG_PREFIX + "%"]
            ).fetchone()
            if foreign[0]:
                return None
            return tuple(
                connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("reviews_partnership", "reviews_review", "chronology_chronologyentry")
            )  # type: ignore[return-value]
    except psycopg.Error:
        return None


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
