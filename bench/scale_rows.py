"""The service's rows at demo scale, written with COPY (psycopg 3's ``cursor.copy``), not the ORM:
boards with their agencies, themes and people, reviews with their IMRs, people and members, and
each review's action plan. Every id is worked out here (``World``), so a row names its parents
without a query; the chronology entries are bench/scale_entries.py's."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

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
PEOPLE_NAMES = [("Adult A", "victim"), ("Adult B", "perpetrator"), ("Child 1", "child"), ("Adult C", "family_member")]


@dataclass
class Counts:
    partnerships: int
    reviews: int
    entries: int
    written: dict[str, int] = field(default_factory=dict)


def copy_rows(cursor, model, rows) -> int:
    """COPY ``rows`` (dicts of field attnames) into the model's table; a field left out gets its
    default, as the ORM would give it. Returns the number of rows."""
    from django.db import connection

    fields = model._meta.concrete_fields
    defaults: dict[str, Any] = {}
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
    reviews: list[dict] = []
    people: list[dict] = []
    extensions: list[dict] = []
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
        rows: list[tuple[int, str, int | None]] = [(chair, "chair", None)]
        rows += [(user, "panel", None) for user in panel]
        rows += [(author, "imr_author", agency_of_author[author]) for author in imrs_by_review[review_id]]
        for user, role, agency in rows:
            membership_id += 1
            yield {"id": membership_id, "review_id": review_id, "user_id": user, "role": role, "agency_id": agency,
                   "created_at": world.now}  # fmt: skip


def write_action_plans(cursor, world: World, counts: Counts) -> None:
    """Six recommendations a review, three actions each, in every status either side of today."""
    from actions.models import Action, Recommendation

    recommendations: list[dict] = []
    actions: list[dict] = []
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
