#!/usr/bin/env python3
"""Back up the casereview PostgreSQL database, restore the backup into a fresh database,
and check that every table has the same number of rows in both.

    DATABASE_URL=postgres://user@host:5432/casereview scripts/backup_restore_check.py [--keep FILE] [--media DIR]

The database holds each stored file's name, not its bytes (casereview.storage): the files are
backed up apart from it. With --media DIR (a backup of MEDIA_ROOT, or MEDIA_ROOT itself) it also
checks that every file the restored database names is in DIR; without it, files are not checked
and it says so.

The row counts of the source are taken in the same snapshot that pg_dump reads (an exported
snapshot held open by this script), so writes made while the check runs cannot make the
counts differ. The scratch database is dropped at the end; the dump is kept only with --keep.
Exit status: 0 when every table matches, 1 when any differs, 2 on a usage or tool error.

It leaves nothing behind, however it ends. The dump is written, with umask 077, into a
directory of its own that only this user may open (mode 0700), and a kept dump is readable by
its owner alone (0600). The scratch database is dropped and the directory removed when the check
ends, fails, or is stopped (SIGTERM, SIGINT). A check killed outright (SIGKILL, a lost machine)
leaves its scratch database and directory under recognisable names: the next check removes
them before it starts. One check runs at a time on a server (a PostgreSQL advisory lock held
for the run; a second waits), so a leftover is never another run's work in progress.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

# Every scratch database and dump directory of this check starts so: what a killed run left.
SCRATCH_PREFIX = "casereview_restore_check_"
DUMP_DIR_PREFIX = "casereview-backup-check-"
# The advisory lock one check holds while it runs (any number of the application's own).
LOCK_KEY = 0x0CA5E_BAC0
# How long a second check waits for the first before giving up.
LOCK_WAIT = "30min"
# Every column naming a stored file (a FileField; tests/test_storage.py keeps the list whole).
FILE_COLUMNS = [
    ("actions_boardplanexport", "file"),
    ("actions_evidence", "file"),
    ("chronology_chronologyexport", "file"),
    ("chronology_chronologyupload", "parse_file"),
    ("chronology_chronologyupload", "upload_file"),
    ("reports_documentrender", "file"),
    ("reports_publishedartefact", "file"),
    ("reports_submissionpack", "file"),
    ("reviews_partnershiplogo", "file"),
]


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _one(conn: psycopg.Connection, query: str | sql.Composed) -> object:
    row = conn.execute(query).fetchone()
    assert row is not None
    return row[0]


def _counts(conn: psycopg.Connection) -> dict[str, int]:
    tables = conn.execute(
        "SELECT table_schema, table_name FROM information_schema.tables"
        " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')"
        " ORDER BY 1, 2"
    ).fetchall()
    return {
        f"{schema}.{table}": int(
            _one(conn, sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))  # type: ignore[call-overload]
        )
        for schema, table in tables
    }


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stderr.strip()}")


def drop_database(admin_url: str, name: str) -> None:
    """Drop a scratch database, whoever is still connected to it (a pg_restore cut short)."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _file_names(conn: psycopg.Connection, tables: set[str]) -> list[str]:
    """The stored files the database names (tables it does not have, a restore that failed say,
    name none: the row counts report those)."""
    names: list[str] = []
    for table, column in FILE_COLUMNS:
        if f"public.{table}" not in tables:
            continue
        query = sql.SQL("SELECT {} FROM {} WHERE {} <> ''").format(
            sql.Identifier(column), sql.Identifier(table), sql.Identifier(column)
        )
        names += [row[0] for row in conn.execute(query)]
    return names


def files_check(names: list[str], media: Path | None) -> bool:
    """Whether every file the restored database names is in ``media`` (says what it checked)."""
    if media is None:
        print(
            f"Files not checked: the backup names {len(names)} stored files but holds none of them; back up "
            "MEDIA_ROOT (or the bucket) too, and check it with --media DIR"
        )
        return True
    missing = [name for name in names if not (media / name).is_file()]
    if missing:
        print(f"{len(missing)} of the {len(names)} files the backup names are not in {media}:")
        print("\n".join(f"  {name}" for name in missing[:20]) + ("\n  ..." if len(missing) > 20 else ""))
        return False
    print(f"All {len(names)} files the backup names are in {media}.")
    return True


def check(source_url: str, dump_path: Path, media: Path | None = None) -> bool:
    scratch = f"{SCRATCH_PREFIX}{uuid.uuid4().hex[:8]}"
    with psycopg.connect(source_url, autocommit=False) as source:
        source.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = _one(source, "SELECT pg_export_snapshot()")
        before = _counts(source)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={dump_path}", source_url])
    print(f"Backed up {len(before)} tables, {sum(before.values())} rows", flush=True)
    admin_url = _with_database(source_url, "postgres")
    try:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
        restored_url = _with_database(source_url, scratch)
        _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_url}", str(dump_path)])
        with psycopg.connect(restored_url) as restored:
            after = _counts(restored)
            names = _file_names(restored, set(after))
    finally:
        with _signals_held():
            drop_database(admin_url, scratch)
    differences = [
        f"  {table}: {before.get(table, 'missing')} in the database, {after.get(table, 'missing')} restored"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    ]
    if differences:
        print("The restored copy differs:\n" + "\n".join(differences))
        return False
    print(f"Restored into a fresh database: all {len(after)} tables have the same row counts.")
    return files_check(names, media)


def _stop(signum: int, frame: FrameType | None) -> None:
    """SIGTERM or SIGINT: unwind, so every ``finally`` drops and removes what the check made."""
    raise SystemExit(128 + signum)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Clean-up is not cut short by a second SIGTERM or SIGINT: they wait until it is done."""
    if sys.platform == "win32":  # pragma: no cover
        yield
        return
    blocked = {signal.SIGTERM, signal.SIGINT}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def leftovers_remove(admin: psycopg.Connection, admin_url: str) -> list[str]:
    """Drop the scratch databases and remove the dump directories of earlier checks that were
    killed (the caller holds the check's lock, so none of them is running). Returns their names."""
    names = [
        str(row[0])
        for row in admin.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [SCRATCH_PREFIX.replace("_", r"\_") + "%"]
        ).fetchall()
    ]
    for name in names:
        drop_database(admin_url, name)
    for directory in Path(tempfile.gettempdir()).glob(f"{DUMP_DIR_PREFIX}*"):
        if directory.is_dir() and not directory.is_symlink() and directory.stat().st_uid == os.getuid():
            shutil.rmtree(directory, ignore_errors=True)
            names.append(str(directory))
    return names


@contextmanager
def check_lock(admin_url: str) -> Iterator[psycopg.Connection]:
    """Hold the one-check-at-a-time lock for the run (released by the server if the process dies)."""
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("SET lock_timeout = {}").format(sql.Literal(LOCK_WAIT)))
        admin.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        yield admin


def keep_dump(dump_path: Path, keep: Path) -> None:
    """Move the dump to where it is kept, readable by its owner alone."""
    partial = keep.with_name(f".{keep.name}.partial")
    shutil.copyfile(dump_path, partial)  # created under umask 077: 0600
    os.chmod(partial, 0o600)
    os.replace(partial, keep)
    print(f"The backup is kept in {keep}")


def run(url: str, keep: Path | None, media: Path | None = None) -> int:
    admin_url = _with_database(url, "postgres")
    with check_lock(admin_url) as admin:
        for name in leftovers_remove(admin, admin_url):
            print(f"Removed {name}, left by an earlier check that was stopped")
        directory = Path(tempfile.mkdtemp(prefix=DUMP_DIR_PREFIX))  # mode 0700
        try:
            dump_path = directory / "casereview.dump"
            matched = check(url, dump_path, media)
            if keep is not None:
                keep_dump(dump_path, keep)
            return 0 if matched else 1
        finally:
            with _signals_held():
                shutil.rmtree(directory, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the backup in this file (custom format, for pg_restore)")
    parser.add_argument(
        "--media", type=Path, help="check that every file the backup names is in this directory (MEDIA_ROOT's backup)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("DATABASE_URL must name the PostgreSQL database to check, e.g. postgres://user@host:5432/casereview")
        return 2
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (apt-get install postgresql-client)")
            return 2
    if args.media is not None and not args.media.is_dir():
        print(f"--media {args.media}: no such directory")
        return 2
    os.umask(0o077)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        return run(url, args.keep, args.media)
    except (RuntimeError, OSError, psycopg.Error) as exc:
        print(f"Backup check failed: {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
