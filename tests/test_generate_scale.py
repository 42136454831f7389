"""bench/generate_scale.py writes what it is asked for, into a database of its own, never a test database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "bench" / "generate_scale.py"


def server_url(database: str) -> str:
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"


def generate(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run(
        [sys.executable, str(GENERATOR), "--database-url", url, *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_refuses_a_test_database():
    result = generate("postgres://postgres@127.0.0.1:5432/test_casereview", "--partnerships", "1", "--reviews", "1")
    assert result.returncode != 0
    assert "refusing database 'test_casereview'" in result.stderr


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the generator writes with PostgreSQL's COPY; run with DATABASE_URL=postgres://...",
)
def test_writes_the_counts_asked_for_at_a_tiny_scale():
    import psycopg

    database = f"casereview_scale_check_{os.getpid()}"
    url = server_url(database)
    try:
        result = generate(url, "--partnerships", "2", "--reviews", "4", "--entries", "100")
        assert result.returncode == 0, result.stderr[-3000:]
        with psycopg.connect(url) as connection:

            def count(table: str, where: str = "") -> int:
                return connection.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0]

            assert count("reviews_partnership") == 2
            assert count("reviews_review") == 4
            assert count("chronology_chronologyentry") == 100
            assert count("reviews_imr") == 4 * 10
            assert count("reviews_agency") == 2 * 12
            assert count("accounts_user") == 2 * 21
            assert count("reviews_partnershipmembership") == 2
            assert count("reviews_reviewmembership", "WHERE role = 'chair'") == 4
            assert count("actions_recommendation") == 4 * 6
            assert count("actions_action") == 4 * 6 * 3
            # Every IMR has its share of the entries, numbered from 1 in the agency's order.
            shares = connection.execute(
                "SELECT min(n), max(n) FROM (SELECT count(*) AS n FROM chronology_chronologyentry GROUP BY imr_id) s"
            ).fetchone()
            assert shares == (2, 3)
            # The entries' indexes were built again after the load, and new rows get fresh ids.
            indexes = {row[0] for row in connection.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'chronology_chronologyentry'"
            )}  # fmt: skip
            assert {"entry_imr_position", "entry_imr_page_order"} <= indexes
            next_id = connection.execute(
                "SELECT nextval(pg_get_serial_sequence('chronology_chronologyentry', 'id'))"
            ).fetchone()[0]
            assert next_id == 101
        # A second run empties the database first: the same counts, not twice as many.
        result = generate(url, "--partnerships", "2", "--reviews", "4", "--entries", "100")
        assert result.returncode == 0, result.stderr[-3000:]
        with psycopg.connect(url) as connection:
            assert connection.execute("SELECT count(*) FROM chronology_chronologyentry").fetchone()[0] == 100
    finally:
        with psycopg.connect(server_url("postgres"), autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
