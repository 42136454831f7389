"""Deployment settings: a production process refuses to start without its secret key, every
variable settings.py reads is documented in .env.example, secrets stay out of git and the image,
and docker-compose.yml gives every service a health check."""

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV_HELPERS = {"env", "envbool", "envint", "envlist"}


def _clean_env(**overrides: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY"}}
    env.update(overrides)
    return env


def test_debug_off_without_secret_key_refuses_to_start_with_a_one_line_reason():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_clean_env(DEBUG="0"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 3  # gunicorn's "worker failed to boot": it stops, not retries
    assert result.stderr.strip().splitlines() == [
        "casereview: SECRET_KEY is not set; with DEBUG=0 it must be (a long random string, see .env.example)"
    ]


@pytest.mark.slow
def test_debug_off_with_a_secret_key_starts():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_clean_env(DEBUG="0", SECRET_KEY="x" * 60),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def _names_read_by_settings() -> set[str]:
    tree = ast.parse((ROOT / "casereview" / "settings.py").read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else ast.unparse(func)
            if called in ENV_HELPERS or called in {"os.environ.get", "os.getenv", "os.environ.setdefault"}:
                names.add(node.args[0].value)
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
    return names


def test_every_variable_settings_reads_is_in_env_example():
    names = _names_read_by_settings()
    assert {"SECRET_KEY", "DATABASE_URL", "SENTRY_DSN", "AXES_IPWARE_PROXY_COUNT"} <= names  # the walk finds them
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert sorted(names - documented) == []


@pytest.mark.parametrize("ignore_file", [".gitignore", ".dockerignore"])
def test_env_file_is_kept_out_of_git_and_the_image(ignore_file):
    lines = (ROOT / ignore_file).read_text().splitlines()
    assert ".env" in lines


def test_the_image_holds_no_secret_key():
    dockerfile = (ROOT / "Dockerfile").read_text()
    env_lines = re.findall(r"^ENV .*?(?<!\\)$", dockerfile, re.M | re.S)
    assert env_lines and not any("SECRET_KEY" in line for line in env_lines)


def _compose_services(config: str) -> dict[str, str]:
    """The blocks of `docker-compose config` output under `services:`, by service name."""
    section = ("\n" + config).split("\nservices:\n", 1)[1]
    section = re.split(r"^\S", section, maxsplit=1, flags=re.M)[0]
    parts = re.split(r"^  ([a-z]+):\n", section, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is not installed")
def test_compose_file_is_valid_and_every_service_has_a_health_check(tmp_path):
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    (tmp_path / ".env").write_text("POSTGRES_PASSWORD=probe\nSECRET_KEY=probe\n")
    result = subprocess.run(["docker-compose", "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    services = _compose_services(result.stdout)
    assert set(services) == {"beat", "db", "mailer", "migrate", "redis", "web", "worker"}
    for name in ("web", "worker", "mailer", "beat", "db", "redis"):
        assert "    healthcheck:\n      " in services[name] and "test:" in services[name], name
    assert "127.0.0.1:8000:8000" in services["web"]
    for name in ("web", "worker", "mailer", "beat", "migrate"):
        assert "SECRET_KEY: probe" in services[name], name  # read from .env when the containers start
    assert "--max-requests-jitter" in services["web"] and "--max-memory-per-child=1500000" in services["worker"]
