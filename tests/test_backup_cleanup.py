"""scripts/backup_restore_check.py leaves no scratch database and no readable dump behind: not when
it ends, not when it is stopped with SIGTERM half-way, and what a killed run left is removed by the
next (PostgreSQL only: it drives pg_dump and pg_restore)."""

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts/backup_restore_check.py"
SCRATCH_PREFIX = "casereview_restore_check_"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"), reason="needs pg_dump"),
]


@pytest.fixture
def database_url(world) -> str:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgres://{auth}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}"


def _admin_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


def _scratch_databases(url: str) -> list[str]:
    with psycopg.connect(_admin_url(url), autocommit=True) as admin:
        rows = admin.execute("SELECT datname FROM pg_database WHERE datname LIKE 'casereview\\_restore\\_check\\_%'")
        return [row[0] for row in rows.fetchall()]


def _slow_pg_restore(bin_dir: Path) -> None:
    """A pg_restore that waits a minute before restoring: the check is stopped while it waits."""
    real = shutil.which("pg_restore")
    bin_dir.mkdir()
    shim = bin_dir / "pg_restore"
    shim.write_text(
        f"#!{sys.executable}\nimport os, sys, time\ntime.sleep(60)\nos.execv({real!r}, [{real!r}, *sys.argv[1:]])\n"
    )
    shim.chmod(0o755)


def _wait_for(found, what: str, process: subprocess.Popen, deadline_seconds: float = 120):
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        value = found()
        if value:
            return value
        if process.poll() is not None:
            raise AssertionError(f"the check ended before {what}: {process.stdout.read()}")  # type: ignore[union-attr]
        time.sleep(0.1)
    raise AssertionError(f"never saw {what}")


def test_a_check_stopped_half_way_leaves_no_database_and_no_dump(database_url, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    _slow_pg_restore(tmp_path / "bin")
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--keep", str(tmp_path / "kept.dump")],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "TMPDIR": str(temp),
             "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        # Half-way: the dump is written and the scratch database made, the restore under way.
        _wait_for(lambda: _scratch_databases(database_url), "the scratch database", process)
        dumps = _wait_for(lambda: list(temp.glob("casereview-backup-check-*/casereview.dump")), "the dump", process)
        # Neither the dump nor its directory is open to the group or anyone else.
        assert stat.S_IMODE(dumps[0].stat().st_mode) & 0o077 == 0
        assert stat.S_IMODE(dumps[0].parent.stat().st_mode) == 0o700
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 128 + signal.SIGTERM, output
    assert _scratch_databases(database_url) == []
    assert list(temp.iterdir()) == []
    assert not (tmp_path / "kept.dump").exists()


def test_what_a_killed_check_left_is_removed_and_the_kept_dump_is_private(database_url, tmp_path):
    temp = tmp_path / "tmp"
    (temp / "casereview-backup-check-old").mkdir(parents=True)
    (temp / "casereview-backup-check-old" / "casereview.dump").write_bytes(b"PGDMP left behind")
    with psycopg.connect(_admin_url(database_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{SCRATCH_PREFIX}left0000"')
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--keep", str(tmp_path / "kept.dump")],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Removed {SCRATCH_PREFIX}left0000, left by an earlier check" in result.stdout
    assert _scratch_databases(database_url) == []
    assert list(temp.iterdir()) == []
    kept = tmp_path / "kept.dump"
    assert kept.read_bytes().startswith(b"PGDMP")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
