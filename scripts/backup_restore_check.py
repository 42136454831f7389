#!/usr/bin/env python3
"""Back up the casereview PostgreSQL database, restore the backup into a fresh database,
and check that every table has the same number of rows in both.

    DATABASE_URL=postgres://user@host:5432/casereview scripts/backup_restore_check.py [--keep FILE]

The row counts of the source are taken in the same snapshot that pg_dump reads (an exported
snapshot held open by this script), so writes made while the check runs cannot make the
counts differ. The scratch database is dropped at the end; the dump is kept only with --keep.
Exit status: 0 when every table matches, 1 when any differs, 2 on a usage or tool error.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _counts(conn: psycopg.Connection) -> dict[str, int]:
    tables = conn.execute(
        "SELECT table_schema, table_name FROM information_schema.tables"
        " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')"
        " ORDER BY 1, 2"
    ).fetchall()
    return {
        f"{schema}.{table}": conn.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        ).fetchone()[0]
        for schema, table in tables
    }


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stderr.strip()}")


def check(source_url: str, dump_path: Path) -> bool:
    scratch = f"casereview_restore_check_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(source_url, autocommit=False) as source:
        source.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = source.execute("SELECT pg_export_snapshot()").fetchone()[0]
        before = _counts(source)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={dump_path}", source_url])
    print(f"Backed up {len(before)} tables, {sum(before.values())} rows, to {dump_path}")
    admin_url = _with_database(source_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
    try:
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={_with_database(source_url, scratch)}",
                str(dump_path),
            ]
        )
        with psycopg.connect(_with_database(source_url, scratch)) as restored:
            after = _counts(restored)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch)))
    differences = [
        f"  {table}: {before.get(table, 'missing')} in the database, {after.get(table, 'missing')} restored"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    ]
    if differences:
        print("The restored copy differs:\n" + "\n".join(differences))
        return False
    print(f"Restored into a fresh database: all {len(after)} tables have the same row counts.")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the backup in this file (custom format, for pg_restore)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must name the PostgreSQL database to check, e.g. postgres://user@host:5432/casereview")
        return 2
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (apt-get install postgresql-client)")
            return 2
    with tempfile.TemporaryDirectory() as tmp:
        dump_path = args.keep or Path(tmp) / "casereview.dump"
        try:
            return 0 if check(url, dump_path) else 1
        except (RuntimeError, psycopg.Error) as exc:
            print(f"Backup check failed: {exc}")
            return 2


if __name__ == "__main__":
    sys.exit(main())
