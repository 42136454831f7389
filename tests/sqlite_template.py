"""The migrated SQLite test database, made once and copied.

Migrating an empty SQLite database from the first migration takes each test process about ten
seconds. The first process to need it migrates as usual and keeps a copy of the result in
``.pytest_cache/casereview-db/``, named by a digest of every installed app's migration files;
every later process (the other pytest-xdist process, the next run) copies that file into its
in-memory database instead. A changed migration, app list or package version gives another
name, so a stale copy is never used. PostgreSQL runs (DATABASE_URL) migrate as they always have.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.backends.sqlite3.creation import DatabaseCreation

DIRECTORY = Path(settings.BASE_DIR) / ".pytest_cache" / "casereview-db"

_migrate_and_create = DatabaseCreation.create_test_db


def install() -> None:
    """Makes in-memory SQLite test databases from the kept copy (see the module's docstring)."""
    DatabaseCreation.create_test_db = _create_test_db  # type: ignore[method-assign, assignment]


def migrations_digest() -> str:
    """A digest of what the migrated schema depends on: each installed app, its migration files."""
    digest = hashlib.sha256()
    for config in apps.get_app_configs():
        digest.update(config.label.encode() + b"\0")
        folder = Path(config.path) / "migrations"
        if folder.is_dir():
            for path in sorted(folder.glob("*.py")):
                digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _create_test_db(
    self: DatabaseCreation, verbosity: int = 1, autoclobber: bool = False, serialize: bool = True, keepdb: bool = False
) -> str:
    if not self.is_in_memory_db(self._get_test_db_name()):  # type: ignore[attr-defined]
        return _migrate_and_create(self, verbosity, autoclobber, serialize, keepdb)
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    template = DIRECTORY / f"{self.connection.alias}-{migrations_digest()}.sqlite3"
    # One process migrates while any other waits for its copy.
    with open(DIRECTORY / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            name = _migrate_and_create(self, verbosity, autoclobber, serialize, keepdb)
            partial = template.with_suffix(f".{os.getpid()}.partial")
            copy = sqlite3.connect(partial)
            try:
                self.connection.connection.backup(copy)
            finally:
                copy.close()
            partial.replace(template)
            return name
    name = self._get_test_db_name()  # type: ignore[attr-defined]
    self.connection.close()
    settings.DATABASES[self.connection.alias]["NAME"] = name
    self.connection.settings_dict["NAME"] = name
    self.connection.ensure_connection()
    source = sqlite3.connect(template)
    try:
        source.backup(self.connection.connection)
    finally:
        source.close()
    if serialize:
        self.connection._test_serialized_contents = self.serialize_db_to_string()  # type: ignore[attr-defined]
    return name
