#!/usr/bin/env python3
"""Look up every locked runtime package in an advisory database; fail on a known advisory.

    scripts/audit_dependencies.py [requirements.lock]     (make audit)

pip-audit reads the releases the lock file pins (it installs nothing: the lock pins and hashes every
package) and asks an advisory service about each: PyPI's JSON API first, then OSV (AUDIT_OSV_URL
points it at a mirror of OSV's API). The first service that answers for the packages decides:

- a known advisory against a locked release: each is printed with the versions that fix it; exit 1.
  Neither service gives every advisory a severity, so any advisory fails the scan, high or not: the
  package is upgraded (make lock), or the advisory is listed in audit-ignore.txt with the reason it
  does not apply here.
- none: one line saying how many releases were checked, and against what; exit 0.
- no service reachable, or none that knows the releases (a proxy that passes only parts of PyPI
  answers "not found" for each): one line saying the scan was skipped and why; exit 0, so that a
  machine without an advisory source can still run CI, and says so.

Anything else pip-audit reports (an unreadable lock file, say) fails the scan.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("pypi", "osv")
SERVICE_NAMES = {"pypi": "PyPI", "osv": "OSV"}
IGNORE_FILE = ROOT / "audit-ignore.txt"
# What the requests library says when no answer came back at all.
UNREACHABLE_MARKERS = (
    "ConnectionError",
    "ProxyError",
    "NameResolutionError",
    "Max retries exceeded",
    "ConnectTimeout",
    "ReadTimeout",
    "Temporary failure in name resolution",
)

FAIL, PASS, SKIP = "fail", "pass", "skip"


@dataclass(frozen=True)
class Verdict:
    """What one service's answer means: fail, pass, or skip (ask the next service)."""

    outcome: str
    lines: tuple[str, ...]

    @property
    def exit_code(self) -> int:
        return 1 if self.outcome == FAIL else 0


def pip_audit_command(lock: Path, service: str) -> list[str]:
    command = [sys.executable, "-m", "pip_audit", "--requirement", str(lock), "--disable-pip", "--require-hashes"]
    command += ["--vulnerability-service", service, "--format", "json", "--desc", "off", "--aliases", "on"]
    command += ["--progress-spinner", "off", "--timeout", "20"]
    osv_url = os.environ.get("AUDIT_OSV_URL")
    if service == "osv" and osv_url:
        command += ["--osv-url", osv_url]
    return command


def ignored_advisories(path: Path | None = None) -> set[str]:
    """The advisory ids of audit-ignore.txt: one a line, each followed by the reason it does not apply."""
    path = path or IGNORE_FILE
    if not path.exists():
        return set()
    ids = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        advisory, _, reason = line.partition(" ")
        if not reason.strip():
            raise SystemExit(f"{path.name} line {number}: {advisory} needs the reason it does not apply")
        ids.add(advisory)
    return ids


def advisory_lines(dependencies: list[dict], ignored: set[str]) -> list[str]:
    """One line per advisory against a locked release, unless it (or one of its aliases) is ignored."""
    lines = []
    for dependency in dependencies:
        for vuln in dependency.get("vulns", []):
            if ignored & {vuln["id"], *vuln.get("aliases", [])}:
                continue
            aliases = f" ({', '.join(vuln['aliases'])})" if vuln.get("aliases") else ""
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            lines.append(f"  {dependency['name']} {dependency['version']}: {vuln['id']}{aliases}, fixed in {fixed}")
    return lines


def interpret(service: str, returncode: int, stdout: str, stderr: str, ignored: set[str]) -> Verdict:
    """Turn one pip-audit run's JSON (or its failure) into a verdict."""
    name = SERVICE_NAMES[service]
    try:
        report = json.loads(stdout)
    except ValueError:
        if any(marker in stderr for marker in UNREACHABLE_MARKERS):
            return Verdict(SKIP, (f"{name}: not reachable",))
        last = stderr.strip().splitlines()[-1] if stderr.strip() else f"exit status {returncode}, no report"
        return Verdict(FAIL, (f"Advisory scan failed: pip-audit against {name}: {last}",))
    dependencies = report.get("dependencies", [])
    audited = [dependency for dependency in dependencies if "skip_reason" not in dependency]
    if not audited:
        return Verdict(SKIP, (f"{name}: knows none of the {len(dependencies)} locked releases",))
    found = advisory_lines(audited, ignored)
    if found:
        heading = f"Advisory scan failed: {len(found)} known advisories against locked runtime packages ({name}):"
        return Verdict(FAIL, (heading, *found, "Upgrade them (make lock) or list them in audit-ignore.txt, with why."))
    unknown = [dependency["name"] for dependency in dependencies if "skip_reason" in dependency]
    not_known = f"; not known to it: {', '.join(unknown)}" if unknown else ""
    return Verdict(
        PASS, (f"Advisory scan: {len(audited)} locked runtime releases, no known advisories ({name}){not_known}",)
    )


def audit(lock: Path, run=subprocess.run) -> Verdict:
    """Ask each service in turn; the first that answers for the releases decides."""
    ignored = ignored_advisories()
    reasons = []
    for service in SERVICES:
        result = run(pip_audit_command(lock, service), capture_output=True, text=True)
        verdict = interpret(service, result.returncode, result.stdout, result.stderr, ignored)
        if verdict.outcome != SKIP:
            return verdict
        reasons += verdict.lines
    return Verdict(SKIP, (f"Advisory scan skipped: no advisory service answered ({'; '.join(reasons)})",))


def main(argv: list[str]) -> int:
    lock = Path(argv[1]) if len(argv) > 1 else ROOT / "requirements.lock"
    if not lock.exists():
        print(f"Advisory scan failed: {lock} does not exist (make lock writes it)")
        return 1
    verdict = audit(lock)
    print("\n".join(verdict.lines))
    return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
