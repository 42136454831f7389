"""The lock files hold every pin of the requirements files, hashed; the advisory scan fails on a known
advisory, passes when there is none, and skips with one line when no advisory service answers.
No test here uses the network: pip-audit's answers are given to the scan's interpretation as pip-audit
writes them, and the one real pip-audit run is sent to a proxy that refuses every connection."""

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / "scripts/audit_dependencies.py")
assert _spec and _spec.loader
audit_dependencies = importlib.util.module_from_spec(_spec)
sys.modules["audit_dependencies"] = audit_dependencies
_spec.loader.exec_module(audit_dependencies)

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)
CONNECTION_REFUSED = (
    "Traceback (most recent call last):\n"
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='pypi.org', port=443): Max retries exceeded "
    "with url: /pypi/django/5.2.19/json (Caused by NameResolutionError(...))\n"
)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(text: str) -> dict[str, str]:
    return {_normal(name): version for name, version in PIN.findall(text)}


def _report(*dependencies: dict) -> str:
    """pip-audit's JSON report (format json), as it writes it."""
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def _clean(name: str, version: str) -> dict:
    return {"name": name, "version": version, "vulns": []}


def _unknown(name: str, version: str) -> dict:
    return {"name": name, "skip_reason": f"Dependency not found on PyPI and could not be audited: {name} ({version})"}


VULNERABLE_DJANGO = {
    "name": "django",
    "version": "5.2.19",
    "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["5.2.20"], "aliases": ["CVE-2099-0001", "GHSA-aaaa-bbbb-cccc"]}],
}


class FakeRun:
    """Stands in for subprocess.run: each service's pip-audit answer, and the commands asked for."""

    def __init__(self, answers: dict[str, tuple[int, str, str]]):
        self.answers = answers
        self.commands: list[list[str]] = []

    def __call__(self, command, **kwargs):
        self.commands.append(command)
        service = command[command.index("--vulnerability-service") + 1]
        returncode, stdout, stderr = self.answers[service]
        return subprocess.CompletedProcess(command, returncode, stdout, stderr)


@pytest.fixture
def no_ignores(monkeypatch, tmp_path):
    monkeypatch.setattr(audit_dependencies, "IGNORE_FILE", tmp_path / "audit-ignore.txt")
    return tmp_path / "audit-ignore.txt"


# The lock files.


@pytest.mark.parametrize(
    ("requirements", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_pin_of_the_requirements_is_locked_at_its_version(requirements, lock):
    wanted = _pins((ROOT / requirements).read_text())
    if requirements == "requirements-dev.txt":
        wanted |= _pins((ROOT / "requirements.txt").read_text())
    locked = _pins((ROOT / lock).read_text())
    stale = {name: version for name, version in wanted.items() if locked.get(name) != version}
    assert not stale, f"{lock} does not hold these pins of {requirements}: run make lock ({stale})"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_has_a_hash(lock):
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
    packages = [block for block in blocks if PIN.match(block)]
    assert len(packages) > 50
    unhashed = [block.split()[0] for block in packages if "--hash=sha256:" not in block]
    assert not unhashed, f"{lock} has packages without hashes: {unhashed}"


def test_the_development_lock_installs_the_runtime_lock_unchanged():
    runtime = _pins((ROOT / "requirements.lock").read_text())
    development = _pins((ROOT / "requirements-dev.lock").read_text())
    assert {name: development.get(name) for name in runtime} == runtime


# The advisory scan's verdicts.


def test_a_known_advisory_against_a_runtime_package_fails_the_scan(no_ignores):
    run = FakeRun({"pypi": (1, _report(_clean("celery", "5.7.0"), VULNERABLE_DJANGO), "")})
    verdict = audit_dependencies.audit(Path("requirements.lock"), run=run)
    assert verdict.exit_code == 1
    assert verdict.lines[0] == "Advisory scan failed: 1 known advisories against locked runtime packages (PyPI):"
    assert verdict.lines[1] == "  django 5.2.19: PYSEC-2099-1 (CVE-2099-0001, GHSA-aaaa-bbbb-cccc), fixed in 5.2.20"
    assert len(run.commands) == 1, "the first service that answers decides"


def test_no_advisory_passes_the_scan_naming_what_it_checked(no_ignores):
    run = FakeRun({"pypi": (0, _report(_clean("celery", "5.7.0"), _clean("django", "5.2.19")), "")})
    verdict = audit_dependencies.audit(Path("requirements.lock"), run=run)
    assert verdict.exit_code == 0
    assert verdict.lines == ("Advisory scan: 2 locked runtime releases, no known advisories (PyPI)",)


def test_no_service_reachable_skips_the_scan_with_one_line(no_ignores):
    run = FakeRun({"pypi": (1, "", CONNECTION_REFUSED), "osv": (1, "", CONNECTION_REFUSED)})
    verdict = audit_dependencies.audit(Path("requirements.lock"), run=run)
    assert verdict.exit_code == 0
    assert verdict.lines == (
        "Advisory scan skipped: no advisory service answered (PyPI: not reachable; OSV: not reachable)",
    )


def test_a_service_that_knows_none_of_the_releases_is_no_answer(no_ignores):
    """A proxy that lets only parts of PyPI through answers "not found" for every release: pip-audit
    then says "No known vulnerabilities found" and exits 0, which must not pass for a scan."""
    unknown = (0, _report(_unknown("celery", "5.7.0"), _unknown("django", "5.2.19")), "No known vulnerabilities found")
    run = FakeRun({"pypi": unknown, "osv": (1, "", CONNECTION_REFUSED)})
    verdict = audit_dependencies.audit(Path("requirements.lock"), run=run)
    assert verdict.exit_code == 0
    assert verdict.lines == (
        "Advisory scan skipped: no advisory service answered (PyPI: knows none of the 2 locked releases; "
        "OSV: not reachable)",
    )


def test_the_next_service_decides_when_the_first_does_not_answer(no_ignores):
    run = FakeRun({"pypi": (1, "", CONNECTION_REFUSED), "osv": (1, _report(VULNERABLE_DJANGO), "")})
    verdict = audit_dependencies.audit(Path("requirements.lock"), run=run)
    assert verdict.exit_code == 1
    assert "(OSV)" in verdict.lines[0]


def test_releases_a_service_does_not_know_are_named_when_the_rest_pass(no_ignores):
    run = FakeRun({"pypi": (0, _report(_clean("django", "5.2.19"), _unknown("english-words", "2.0.2")), "")})
    verdict = audit_dependencies.audit(Path("requirements.lock"), run=run)
    assert verdict.exit_code == 0
    assert verdict.lines == (
        "Advisory scan: 1 locked runtime releases, no known advisories (PyPI); not known to it: english-words",
    )


def test_a_pip_audit_error_other_than_the_network_fails_the_scan(no_ignores):
    run = FakeRun({"pypi": (1, "", "ERROR:pip_audit._cli:requirements.lock: invalid requirement\n")})
    verdict = audit_dependencies.audit(Path("requirements.lock"), run=run)
    assert verdict.exit_code == 1
    assert verdict.lines == (
        "Advisory scan failed: pip-audit against PyPI: ERROR:pip_audit._cli:requirements.lock: invalid requirement",
    )


def test_an_advisory_listed_with_its_reason_lets_the_scan_pass(no_ignores):
    no_ignores.write_text("# why each does not apply\nGHSA-aaaa-bbbb-cccc  we never pass user input to it\n")
    run = FakeRun({"pypi": (1, _report(VULNERABLE_DJANGO), "")})
    verdict = audit_dependencies.audit(Path("requirements.lock"), run=run)
    assert verdict.exit_code == 0
    assert verdict.lines == ("Advisory scan: 1 locked runtime releases, no known advisories (PyPI)",)


def test_an_advisory_listed_without_a_reason_is_refused(no_ignores):
    no_ignores.write_text("PYSEC-2099-1\n")
    with pytest.raises(SystemExit, match="line 1: PYSEC-2099-1 needs the reason it does not apply"):
        audit_dependencies.ignored_advisories(no_ignores)


def test_the_scan_reads_the_lock_without_installing_it_and_can_use_an_osv_mirror(monkeypatch):
    monkeypatch.setenv("AUDIT_OSV_URL", "https://osv.example.org/v1/query")
    pypi = audit_dependencies.pip_audit_command(Path("requirements.lock"), "pypi")
    osv = audit_dependencies.pip_audit_command(Path("requirements.lock"), "osv")
    assert {"--disable-pip", "--require-hashes"} <= set(pypi)
    assert "--osv-url" not in pypi
    assert osv[osv.index("--osv-url") + 1] == "https://osv.example.org/v1/query"


@pytest.mark.slow
def test_pip_audit_itself_reads_the_lock_and_the_scan_skips_when_nothing_answers(tmp_path):
    """The real pip-audit, on the real lock file, through a proxy that refuses every connection."""
    refused = "http://127.0.0.1:9"
    env = {**os.environ, "HTTPS_PROXY": refused, "https_proxy": refused, "NO_PROXY": "", "no_proxy": ""}
    env.pop("AUDIT_OSV_URL", None)
    result = subprocess.run(
        [sys.executable, "scripts/audit_dependencies.py", "requirements.lock"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        "Advisory scan skipped: no advisory service answered (PyPI: not reachable; OSV: not reachable)\n"
    )
