"""Scale-out on one machine: N gunicorn processes and M Celery workers against PostgreSQL and
Redis, loaded by locust with chairs paging through integrated chronologies, editors autosaving
sections and chairs asking for builds and renders that the workers carry out.

    .venv/bin/python bench/run.py scale-out        # or: make bench (every benchmark)

The data is the demo-scale database of bench/generate_scale.py (SCALE_DATABASE_URL, default
casereview_scale; BENCH_SCALE, default 200,2000,5000000), generated once and reused; the load
touches the largest board's reviews. Gunicorn runs with docker-compose.yml's `web` command (its
--workers set to N), DEBUG=0, a SECRET_KEY, behind the TLS proxy as compose has it (the proxy's
headers are sent); each Celery worker runs compose's `worker` command with --concurrency=1 on
the jobs queue (M workers: M processes taking jobs). Redis is a redis-server of the run's own, on
a free port. Locust (requirements-dev.txt) runs headless beside them, for BENCH_SECONDS (40) per
configuration, with BENCH_USERS (20) people: 12 readers, 6 editors, 2 asking for work.

Prints, for (N, M) = (1, 1), (2, 2), (4, 2) (BENCH_CONFIGS="1,1;2,2;4,2"): requests a second and
p95 per endpoint, and for the workers' jobs how many finished and their p95 from request to
ready. Everything (locust too) shares this machine's CPUs with the other processes on it."""

import csv
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate_scale  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
SECRET_KEY = "bench-scale-out-secret-key-not-for-production-0123456789abcdef"
SECONDS = int(os.environ.get("BENCH_SECONDS", 40))
USERS = int(os.environ.get("BENCH_USERS", 20))
CONFIGS = [tuple(int(n) for n in pair.split(",")) for pair in os.environ.get("BENCH_CONFIGS", "1,1;2,2;4,2").split(";")]
SCALE = tuple(int(n) for n in os.environ.get("BENCH_SCALE", "200,2000,5000000").split(","))
REVIEWS = 8
# After the load, how long the workers may take to finish the builds and renders it asked for.
DRAIN_SECONDS = int(os.environ.get("BENCH_DRAIN_SECONDS", 120))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, what: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        if check():
            return
        time.sleep(0.3)
    raise RuntimeError(f"{what} not ready within {seconds:.0f} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def compose_command(service: str) -> list[str]:
    """A service's command in docker-compose.yml, as a list."""
    compose = (ROOT / "docker-compose.yml").read_text()
    block = compose[compose.index(f"\n  {service}:") :]
    return json.loads(re.search(r"command:\s*(\[.*?\])", block, re.S).group(1))


def with_option(command: list[str], option: str, value: str) -> list[str]:
    command = [part for part in command]
    for n, part in enumerate(command):
        if part == option:
            command[n + 1] = value
            return command
        if part.startswith(option + "="):
            command[n] = f"{option}={value}"
            return command
    return command + [option, value]


# --- the processes -----------------------------------------------------------------------------


class Stack:
    """Redis of the run's own, and per configuration its gunicorn and Celery workers."""

    def __init__(self, database_url: str, workdir: Path):
        self.database_url, self.workdir = database_url, workdir
        self.redis_port = free_port()
        self.redis_log = workdir / "redis.log"
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=self.redis_log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(self._redis_answers, "redis-server", self.redis, self.redis_log)
        self.processes: list[subprocess.Popen] = []

    def _redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def env(self) -> dict:
        env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
        env.update(
            DEBUG="0", SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", BEHIND_TLS_PROXY="1",
            DATABASE_URL=self.database_url, REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            MEDIA_ROOT=str(self.workdir / "media"), STATIC_ROOT=str(self.workdir / "static"), LOG_LEVEL="WARNING",
        )  # fmt: skip
        return env

    def start(self, web: int, workers: int) -> int:
        """Gunicorn with ``web`` processes and ``workers`` Celery workers; returns the web port."""
        port = free_port()
        command = with_option(compose_command("web"), "--workers", str(web))
        command = with_option(command, "--bind", f"127.0.0.1:{port}")
        log = self.workdir / f"gunicorn-{web}.log"
        server = subprocess.Popen([str(VENV_BIN / "gunicorn"), *command[1:]], cwd=ROOT, env=self.env(),
                                  stdout=log.open("w"), stderr=subprocess.STDOUT)  # fmt: skip
        self.processes.append(server)
        worker = with_option(compose_command("worker"), "--concurrency", "1")
        worker = with_option(worker, "--loglevel", "INFO")
        logs = []
        for n in range(workers):
            logs.append(self.workdir / f"worker-{web}-{workers}-{n}.log")
            self.processes.append(subprocess.Popen(
                [str(VENV_BIN / "celery"), *worker[1:], "--hostname", f"scale{n}@%h"], cwd=ROOT, env=self.env(),
                stdout=logs[-1].open("w"), stderr=subprocess.STDOUT,
            ))  # fmt: skip
        wait_for(lambda: _answers(port), "gunicorn", server, log)
        for process, worker_log in zip(self.processes[1:], logs, strict=True):
            wait_for(lambda w=worker_log: " ready." in w.read_text(), "celery worker", process, worker_log)
        return port

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            stop(process)
        self.processes.clear()
        with socket.create_connection(("127.0.0.1", self.redis_port), timeout=5) as connection:
            connection.sendall(b"FLUSHALL\r\n")  # nothing queued is left for the next configuration
            connection.recv(16)

    def close(self) -> None:
        self.stop_all()
        stop(self.redis)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


# --- the people and what they work on ----------------------------------------------------------


def session(user) -> str:
    """A session past both factors in the database the servers read, as the tests sign in."""
    from django.conf import settings
    from django.test import Client

    from tests.conftest import force_login_with_mfa

    client = Client()
    force_login_with_mfa(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def prepare_reviews() -> list[dict]:
    """The largest board's first reviews, each with a ready integrated chronology (built here, in
    process, as a worker builds it) and an overview report whose first text section is edited."""
    from bench_large_pages import built_version
    from django.db.models import Count
    from django.urls import reverse

    from chronology.integrated.selectors import PAGE_SIZE
    from reports import document_services
    from reports.models import Document, Section
    from reviews.models import Partnership, Review

    board = Partnership.objects.annotate(n=Count("reviews")).order_by("-n", "pk").first()
    prepared = []
    for review in Review.objects.filter(partnership=board).order_by("pk")[:REVIEWS]:
        chair = review.memberships.get(role="chair").user
        chronology = review.integrated_chronologies.filter(status="ready").order_by("-version").first()
        chronology = chronology or built_version(review)
        document = Document.objects.filter(review=review, kind="overview").first() or (
            document_services.document_create(review=review, kind="overview", actor=chair)
        )
        section = document.sections.filter(kind=Section.Kind.TEXT).order_by("position").first()
        prepared.append({
            "chair": chair, "entries": chronology.entry_count, "pages": max(1, -(-chronology.entry_count // PAGE_SIZE)),
            "integrated_path": reverse("chronology:integrated", args=[review.pk]),
            "edit_path": reverse("reports:section_edit", args=[review.pk, document.pk, section.pk]),
            "document_path": reverse("reports:document", args=[review.pk, document.pk]),
            "build_path": reverse("chronology:build", args=[review.pk]),
            "render_path": reverse("reports:render_request", args=[review.pk, document.pk]),
        })  # fmt: skip
    return prepared


def plan(reviews: list[dict], port: int) -> dict:
    """Who does what: readers and editors spread over the reviews, requesters over all of them."""
    from django.conf import settings

    readers = [{"session": session(r["chair"]), "path": r["integrated_path"], "pages": r["pages"]}
               for r in (reviews[n % len(reviews)] for n in range(USERS))]  # fmt: skip
    editors = [{"session": session(r["chair"]), "path": r["edit_path"]} for r in reviews]
    requesters = [
        {"session": session(r["chair"]), "document_path": r["document_path"],
         "reviews": [{"build_path": r["build_path"], "render_path": r["render_path"]}]}
        for r in reviews
    ]  # fmt: skip
    return {
        "origin": f"https://127.0.0.1:{port}", "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME, "readers": readers, "editors": editors, "requesters": requesters,
    }  # fmt: skip


# --- one configuration -------------------------------------------------------------------------


def warm_up(port: int, plan: dict, web: int) -> None:
    """Every gunicorn process answers each kind of page a few times before the measured run: a
    process's first request of a page loads code and templates, which a running service has done."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor

    people = [(p["session"], p["path"]) for p in plan["readers"][:2] + plan["editors"][:2]]
    people += [(p["session"], p["document_path"]) for p in plan["requesters"][:1]]

    def get(person: tuple[str, str]) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        cookie = f"{plan['session_cookie']}={person[0]}"
        connection.request("GET", person[1], headers={"X-Forwarded-Proto": "https", "Cookie": cookie})
        connection.getresponse().read()
        connection.close()

    with ThreadPoolExecutor(2 * web) as pool:
        list(pool.map(get, people * 2 * web))


def run_locust(port: int, plan_file: Path, prefix: Path) -> list[dict]:
    """Locust headless for SECONDS against the port: its per-endpoint rows."""
    env = {**os.environ, "BENCH_LOCUST_PLAN": str(plan_file)}
    command = [
        str(VENV_BIN / "locust"), "-f", str(Path(__file__).parent / "locustfile_scale.py"), "--headless",
        "-u", str(USERS), "-r", str(USERS), "-t", f"{SECONDS}s", "--host", f"http://127.0.0.1:{port}",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=SECONDS + 120)
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise RuntimeError(f"locust wrote no figures ({result.returncode}):\n{result.stderr[-3000:]}")
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open() as handle:
            for row in csv.DictReader(handle):
                print(f"    failed: {row['Name']}: {row['Error'][:200]} ({row['Occurrences']} times)")
    with stats.open() as handle:
        return [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]


JOB_MODELS = (
    ("build integrated chronology", "chronology.IntegratedChronology"),
    ("render PDF", "reports.DocumentRender"),
)


def drain(since, seconds: float) -> float:
    """Wait (up to ``seconds``) for the workers to finish the jobs asked since ``since``: how long it took."""
    from django.apps import apps

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        waiting = sum(
            apps.get_model(name).objects.filter(requested_at__gte=since, status__in=["queued", "running"]).count()
            for _, name in JOB_MODELS
        )
        if not waiting:
            break
        time.sleep(2)
    return time.monotonic() - started


def job_figures(since) -> list[tuple[str, int, int, float | None, float | None]]:
    """(kind, asked, finished, p95 request to ready in s, median run time in s) of the jobs asked
    since ``since``; those still waiting are then cancelled, so the next configuration starts clean."""
    from django.apps import apps

    rows = []
    for label, name in JOB_MODELS:
        asked = apps.get_model(name).objects.filter(requested_at__gte=since)
        done = list(asked.filter(status="ready").values_list("requested_at", "started_at", "finished_at"))
        waits = sorted((finished - requested).total_seconds() for requested, _, finished in done)
        runs = [(finished - started).total_seconds() for _, started, finished in done if started]
        p95 = waits[max(0, int(len(waits) * 0.95) - 1)] if waits else None
        rows.append((label, asked.count(), len(done), p95, statistics.median(runs) if runs else None))
        asked.filter(status__in=["queued", "running"]).update(status="cancelled", error="Stopped with the benchmark.")
    return rows


def print_table(web: int, workers: int, rows: list[dict], jobs: list, seconds: float, drained: float) -> None:
    print(f"  (N, M) = ({web}, {workers}): {web} gunicorn process{'es' if web > 1 else ''} x 8 threads,"
          f" {workers} Celery worker{'s' if workers > 1 else ''};"
          f" load average now {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"    {'endpoint':<30} {'requests':>8} {'failed':>6} {'per s':>7} {'median ms':>9} {'p95 ms':>7}")
    for row in sorted(rows, key=lambda r: r["Name"]):
        print(
            f"    {row['Name']:<30} {int(row['Request Count']):>8} {int(row['Failure Count']):>6}"
            f" {float(row['Requests/s']):>7.2f} {row['50%']:>9} {row['95%']:>7}"
        )
    total = sum(int(row["Request Count"]) for row in rows)
    print(f"    {'all requests':<30} {total:>8} {'':>6} {total / seconds:>7.2f}")
    for label, asked, done, p95, run in jobs:
        p95_text = f"{p95:.1f} s" if p95 is not None else "-"
        run_text = f"{run:.1f} s" if run is not None else "-"
        print(f"    worker: {label:<28} {asked:>3} asked, {done:>3} ready (within the run and {drained:.0f} s after);"
              f" p95 request to ready {p95_text}, median run {run_text}")  # fmt: skip


def main() -> int:
    sys.stdout.reconfigure(line_buffering=True)
    if not (VENV_BIN / "locust").exists() or not shutil.which("redis-server"):
        print("bench_scale_out needs locust (make install-dev) and redis-server (Debian: redis-server); skipped")
        return 1
    os.environ["SECRET_KEY"] = SECRET_KEY  # the sessions made here are signed as the servers check them
    url = os.environ.get("SCALE_DATABASE_URL", generate_scale.DEFAULT_URL)
    if not generate_scale.ensure(url, *SCALE):
        return 0
    import logging

    from django.db import connections
    from django.utils import timezone

    logging.getLogger("axes").setLevel(logging.WARNING)
    reviews = prepare_reviews()
    print(f"load: {USERS} readers/editors/requesters on {len(reviews)} reviews of the largest board"
          f" ({reviews[0]['entries']:,} entries in each integrated chronology),"
          f" {SECONDS} s per configuration")  # fmt: skip
    print(f"machine: {os.cpu_count()} CPUs, shared with every other process on it (locust, PostgreSQL, Redis and"
          f" other people's work); load average {os.getloadavg()[0]:.1f}. The figures are modest and noisy:"
          " they show how the shape behaves, not what a server would do.")  # fmt: skip
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-out-"))
    stack = Stack(url, workdir)
    try:
        for web, workers in CONFIGS:
            port = stack.start(web, workers)
            plan_file = workdir / f"plan-{web}-{workers}.json"
            people = plan(reviews, port)
            plan_file.write_text(json.dumps(people))
            connections.close_all()
            warm_up(port, people, web)
            since = timezone.now()
            started = time.perf_counter()
            rows = run_locust(port, plan_file, workdir / f"locust-{web}-{workers}")
            elapsed = time.perf_counter() - started
            drained = drain(since, DRAIN_SECONDS)  # the workers finish what was asked (no new requests)
            stack.stop_all()
            print_table(web, workers, rows, job_figures(since), min(elapsed, SECONDS), drained)
    finally:
        stack.close()
        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
