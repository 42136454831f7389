"""scripts/backup_restore_check.py backs up the database, restores it into a fresh one and
finds the same rows in every table (PostgreSQL only: it drives pg_dump and pg_restore)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def test_a_backup_restores_with_every_row(world, tmp_path):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and pg_dump")
    result = subprocess.run(
        [sys.executable, "scripts/backup_restore_check.py", "--keep", str(tmp_path / "backup.dump")],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": _database_url()},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all" in result.stdout and "tables have the same row counts" in result.stdout
    assert (tmp_path / "backup.dump").stat().st_size > 0


def test_the_check_finds_every_file_the_backup_names_in_the_files_backup(world, tmp_path, settings):
    """The database names the stored files; --media checks that a files backup holds each one."""
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and pg_dump")
    from django.core.files.base import ContentFile  # noqa: PLC0415

    from reports.models import Document, DocumentRender  # noqa: PLC0415

    document = Document.objects.create(review=world.review, kind="overview")
    render = DocumentRender.objects.create(document=document, format="pdf", file=ContentFile(b"%PDF-1.7", "r.pdf"))

    def check(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "scripts/backup_restore_check.py", *args],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": _database_url()}, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    plain = check()
    assert plain.returncode == 0 and "Files not checked: the backup names 1 stored files" in plain.stdout
    whole = check("--media", str(settings.MEDIA_ROOT))
    assert whole.returncode == 0 and f"All 1 files the backup names are in {settings.MEDIA_ROOT}." in whole.stdout
    empty = tmp_path / "media-backup"
    empty.mkdir()
    short = check("--media", str(empty))
    assert short.returncode == 1 and f"1 of the 1 files the backup names are not in {empty}" in short.stdout
    assert render.file.name in short.stdout


def test_the_check_refuses_a_database_that_is_not_postgresql(tmp_path):
    result = subprocess.run(
        [sys.executable, "scripts/backup_restore_check.py"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "must name the PostgreSQL database" in result.stdout


def test_a_restore_that_lost_rows_is_reported(world, tmp_path, monkeypatch, capsys):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and pg_dump")
    import importlib.util

    spec = importlib.util.spec_from_file_location("backup_restore_check", ROOT / "scripts/backup_restore_check.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    real_run = script._run
    # A restore that silently does nothing: the scratch database stays empty.
    monkeypatch.setattr(script, "_run", lambda command: None if command[0] == "pg_restore" else real_run(command))
    assert script.check(_database_url(), tmp_path / "backup.dump") is False
    assert "reviews_review: 2 in the database, missing restored" in capsys.readouterr().out
