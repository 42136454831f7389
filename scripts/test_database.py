#!/usr/bin/env python3
"""Choose the database `make test` runs on, and say which it is.

    url=$(scripts/test_database.py)   # the DATABASE_URL to run pytest with; empty for SQLite

With DATABASE_URL set (as `.ci/run` sets it) that database is used. Otherwise, when PostgreSQL
answers on 127.0.0.1:5432, the database named by TEST_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/casereview_test_run) is created if missing and used;
pytest-django then makes its own `test_casereview_test_run` beside it. Failing that the tests run
on SQLite, which leaves the PostgreSQL-only SQL of the chronology build unexercised. What was
chosen, and whether Redis is used, is printed on stderr.
"""

from __future__ import annotations

import os
import socket
import sys
from urllib.parse import urlsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/casereview_test_run"
SQLITE_FALLBACK = "PostgreSQL is not reachable: tests run on SQLite (the build's PostgreSQL-only SQL is not exercised)"


def say(message: str) -> None:
    print(message, file=sys.stderr)


def where(url: str) -> str:
    """Host, port and database of a database URL, without its user or password."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}{parts.path}"


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def database_create(url: str) -> str | None:
    """Create the database of `url` unless it exists; None when done, else why it could not be."""
    import psycopg  # installed with the app's requirements; imported here so the SQLite path needs no driver
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        with psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=5,
            autocommit=True,
        ) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]
    return None


def redis_note() -> str:
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        return f"Redis at {where(redis_url)} is used: tasks go through the broker and the worker tests run"
    return "Redis is not used (REDIS_URL is not set): tasks run in process and the worker tests are skipped"


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        engine = urlsplit(url).scheme
        if engine.startswith("postgres"):
            say(f"Tests run on PostgreSQL at {where(url)} (from DATABASE_URL)")
        else:
            say(f"Tests run on {engine} from DATABASE_URL")
    else:
        candidate = os.environ.get("TEST_DATABASE_URL") or DEFAULT_URL
        parts = urlsplit(candidate)
        if not answers(parts.hostname or "127.0.0.1", parts.port or 5432):
            say(SQLITE_FALLBACK)
        elif problem := database_create(candidate):
            say(f"PostgreSQL answers at {where(candidate)} but cannot be used ({problem}): tests run on SQLite")
            say("(the build's PostgreSQL-only SQL is not exercised)")
        else:
            url = candidate
            say(f"Tests run on PostgreSQL at {where(url)}")
    say(redis_note())
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
