"""`manage.py check --deploy` with production settings reports nothing, and does report a
deployment that forgot its secret key (so the first check can fail)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _check_deploy(tmp_path, **overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        # The browser tests allow sync ORM calls beside Playwright; a deployment never does.
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="casereview.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        DEBUG="0",
        ALLOWED_HOSTS="casereview.example.org",
        SECRET_KEY=secrets.token_urlsafe(64),
    )
    env.update(overrides)
    env = {key: value for key, value in env.items() if value != ""}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _check_deploy(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_reports_a_missing_secret_key(tmp_path):
    # DEBUG=0 without a key does not even start (tests/test_operations_settings.py); with DEBUG unset
    # the development key is used, and the deploy check names it.
    result = _check_deploy(tmp_path, SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    result = _check_deploy(tmp_path, SECRET_KEY="", DEBUG="")
    assert result.returncode != 0
    assert "security.W009" in result.stderr
