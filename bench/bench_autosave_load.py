"""Autosave while 20 people load the heaviest pages, on the server as production runs it.

A review with a 40,000-entry integrated chronology (built by the real build) and an agency's
40,000-entry chronology, and a document whose section the chair edits. The web server is
gunicorn with the command line of docker-compose.yml's `web` service (read at run time), DEBUG
off, behind an HTTPS proxy as compose has it (the proxy's X-Forwarded-Proto header is sent).
Signed-in sessions past both factors are made in the database; the autosave is the editor's
own POST (editor.js): body, base version, a save id, the CSRF token, JSON back.

Measures the autosave alone (the baseline), then again while 20 clients each load the
integrated chronology page, the agency's chronology page and the timeline picture in turn
(fetched in full each time: a browser holding it would revalidate for a 304 instead).

Goal: autosave p95 under 150 ms under that load. A second figure has each viewer pause 2 s between
pages (BENCH_VIEWER_PAUSE; 0 leaves it out), as the integrated page once polled. CPU the server's
workers used is given per request, which a busy machine changes less than the times.
BENCH_GUNICORN_OPTIONS="--workers 3;--workers 3 --threads 4" also measures other command lines
(those options in place of compose's workers and threads) on the same data.

PostgreSQL: BENCH_DATABASE_URL if set (emptied and filled, as the other benchmarks do); else a
database of its own, casereview_bench_autosave, made on the server of DATABASE_URL or on
postgres://postgres@127.0.0.1:5432 and dropped at the end; else SQLite (the figure then says
little: SQLite serialises writers)."""

import http.client
import json
import logging
import math
import os
import re
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 20))
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", 20))
SAVE_EVERY = 0.5
BASELINE_SAVES = 30
GOAL_MS = 150
DATABASE = "casereview_bench_autosave"
SECRET_KEY = "bench-autosave-secret-key-not-for-production-0123456789abcdef"
TIMEOUT = 60
# Viewers who read a page before the next (as the integrated page polled every 2 s): a second figure.
VIEWER_PAUSE = float(os.environ.get("BENCH_VIEWER_PAUSE", 2))


# --- the database ------------------------------------------------------------------------------


def _admin_connect(server_url: str):
    import psycopg

    parts = urlsplit(server_url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=3)


def own_database() -> tuple[str | None, str | None]:
    """(url, server url to drop it from) of a fresh PostgreSQL database for this run, or (None, None)."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"], None
    candidates = [os.environ.get("DATABASE_URL", ""), "postgres://postgres@127.0.0.1:5432/postgres"]
    for server in (url for url in candidates if url.startswith(("postgres://", "postgresql://"))):
        try:
            with _admin_connect(server) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
                connection.execute(f"CREATE DATABASE {DATABASE}")
        except Exception as error:  # noqa: BLE001 (any failure: try the next, then SQLite)
            print(f"PostgreSQL at {urlsplit(server).netloc} not usable: {error}")
            continue
        return urlunsplit(urlsplit(server)._replace(path=f"/{DATABASE}")), server
    return None, None


def drop_database(server: str) -> None:
    with _admin_connect(server) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


# --- the data and the sessions -----------------------------------------------------------------


def build_world():
    """The review of bench_large_pages (an agency drafting 40,000 entries; 8 agencies' accepted
    40,000 entries built into the integrated chronology) and the chair's overview report."""
    from bench_large_pages import build_data, built_version

    from reports import document_services
    from reports.models import Section

    started = time.perf_counter()
    review, imr, chair, author, _ = build_data()
    made = time.perf_counter() - started
    started = time.perf_counter()
    chronology = built_version(review)
    built = time.perf_counter() - started
    document = document_services.document_create(review=review, kind="overview", actor=chair)
    section = document.sections.filter(kind=Section.Kind.TEXT).order_by("position").first()
    print(
        f"data: {imr.entries.count():,} entries in the agency's chronology and {chronology.entry_count:,} in the"
        f" integrated chronology (made in {made:.1f} s, built in {built:.1f} s)"
    )
    return review, imr, chronology, chair, author, section


def session_cookie(user) -> str:
    """A new session for ``user``, past the password and the second factor (as django_otp.login
    marks it), stored in the database the server reads: its cookie value."""
    from _setup import sign_in
    from django.conf import settings
    from django.test import Client

    client = Client()
    sign_in(client, user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


# --- the server --------------------------------------------------------------------------------


def production_command() -> list[str]:
    """The web service's command in docker-compose.yml (the Dockerfile's CMD should be the same)."""
    compose = (ROOT / "docker-compose.yml").read_text()
    web = compose[compose.index("\n  web:") :]
    match = re.search(r"command:\s*(\[.*?\])", web, re.S)
    command = json.loads(match.group(1))
    docker = re.search(r"^CMD\s+(\[.*\])\s*$", (ROOT / "Dockerfile").read_text(), re.M)
    if docker and json.loads(docker.group(1)) != command:
        print(f"note: the Dockerfile's CMD differs from docker-compose.yml: {json.loads(docker.group(1))}")
    return command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(database_url: str, port: int, workdir: Path, command: list[str]) -> tuple[subprocess.Popen, Path]:
    assert command[0] == "gunicorn", command
    args = [str(ROOT / ".venv" / "bin" / "gunicorn"), *command[1:]]
    args[args.index("--bind") + 1] = f"127.0.0.1:{port}"
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DEBUG="0", SECRET_KEY=SECRET_KEY, ALLOWED_HOSTS="127.0.0.1", BEHIND_TLS_PROXY="1", DATABASE_URL=database_url,
        MEDIA_ROOT=str(workdir / "media"), STATIC_ROOT=str(workdir / "static"),
    )  # fmt: skip
    log = workdir / f"gunicorn-{port}.log"
    with log.open("w") as handle:
        server = subprocess.Popen(args, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            get(port, "/accounts/login/", {})
            return server, log
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


def worker_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user and system) the server's workers have used so far."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == server.pid:  # its parent is the gunicorn master
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- HTTP --------------------------------------------------------------------------------------


def _request(port: int, method: str, path: str, cookies: dict, body: bytes | None = None, headers: dict | None = None):
    """One request on a new connection, as through the TLS proxy: (status, headers, body, ms)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    sent = {
        "Host": f"127.0.0.1:{port}",
        "X-Forwarded-Proto": "https",
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        **(headers or {}),
    }
    try:
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        data = response.read()
        return response.status, response.headers, data, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def get(port: int, path: str, cookies: dict):
    return _request(port, "GET", path, cookies)


class Autosaver:
    """The chair's editor: opens the section's editor page for its CSRF token and version, then
    saves the way editor.js does, a slightly different text each time."""

    def __init__(self, port: int, session: str, edit_path: str):
        from django.conf import settings

        self.port, self.edit_path = port, edit_path
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies = {settings.SESSION_COOKIE_NAME: session}
        status, headers, page, _ = get(port, edit_path, self.cookies)
        assert status == 200, f"the editor page answered {status}"
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name == settings.CSRF_COOKIE_NAME:
                self.cookies[name] = rest.split(";", 1)[0]
        self.token = self.cookies[settings.CSRF_COOKIE_NAME]
        field = re.search(rb'<input[^>]*id="base-version"[^>]*>', page).group(0)
        self.version = int(re.search(rb'value="(\d+)"', field).group(1))
        self.count = 0

    def text(self) -> str:
        self.count += 1
        paragraphs = [
            f"<p>Paragraph {n}: the panel considered what each agency knew about Adult A and the child, and when;"
            f" what was shared at the strategy discussion, and what was not. Draft {self.count}.</p>"
            for n in range(1, 25)
        ]
        return "".join(paragraphs)

    def save(self) -> tuple[int, float]:
        body = urlencode(
            {"body": self.text(), "base_version": self.version, "autosave": "1", "save_id": str(uuid.uuid4())}
        ).encode()
        status, _, data, ms = _request(
            self.port, "POST", self.edit_path, self.cookies, body,
            {
                "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json",
                "X-CSRFToken": self.token, "Origin": self.origin, "Referer": self.origin + self.edit_path,
            },
        )  # fmt: skip
        if status == 200:
            self.version = json.loads(data)["version"]
        return status, ms

    def run(self, stop: threading.Event, results: list, until_count: int | None = None) -> None:
        while not stop.is_set() and (until_count is None or len(results) < until_count):
            started = time.monotonic()
            try:
                results.append(self.save())
            except OSError as error:
                results.append((f"{type(error).__name__}: {error}", TIMEOUT * 1000.0))
            time.sleep(max(0.0, SAVE_EVERY - (time.monotonic() - started)))


def reader(port: int, pages: list, first: int, pause: float, stop: threading.Event, results: list) -> None:
    """One viewer: the heavy pages in turn, each as soon as the last has come (or after a pause)."""
    turn = first
    while not stop.is_set():
        label, path, cookies = pages[turn % len(pages)]
        turn += 1
        try:
            status, _, data, ms = get(port, path, cookies)
            results.append((label, status, len(data), ms))
        except OSError as error:
            results.append((label, f"{type(error).__name__}: {error}", 0, TIMEOUT * 1000.0))
        stop.wait(pause)


# --- figures -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def describe_saves(label: str, results: list) -> float:
    times = [ms for _, ms in results]
    errors = [status for status, _ in results if status != 200]
    print(
        f"{label}: {len(results)} saves, p50 {statistics.median(times):.0f} ms, p95 {percentile(times, 95):.0f} ms,"
        f" max {max(times):.0f} ms, errors {len(errors)}" + (f" ({sorted(set(map(str, errors)))})" if errors else "")
    )
    return percentile(times, 95)


def under_load(server, port: int, saver: "Autosaver", pages: list, pause: float) -> float:
    """Autosave while CLIENTS viewers load the heavy pages: the figures, and the autosave p95."""
    stop = threading.Event()
    loads: list = []
    readers = [
        threading.Thread(target=reader, args=(port, pages[n], n, pause, stop, loads), daemon=True)
        for n in range(CLIENTS)
    ]
    cpu, started = worker_cpu_seconds(server), time.perf_counter()
    for thread in readers:
        thread.start()
    time.sleep(2)  # every viewer has a page in flight
    saves: list = []
    saver_stop = threading.Event()
    saving = threading.Thread(target=saver.run, args=(saver_stop, saves))
    saving.start()
    time.sleep(LOAD_SECONDS)
    saver_stop.set()
    saving.join()
    stop.set()
    for thread in readers:
        thread.join(TIMEOUT + 5)
    elapsed, cpu = time.perf_counter() - started, worker_cpu_seconds(server) - cpu

    how = "one page after another" if not pause else f"{pause:g} s between pages"
    p95 = describe_saves(f"  autosave, {CLIENTS} clients loading heavy pages ({how})", saves)
    for label, _, _ in pages[0]:
        rows = [row for row in loads if row[0] == label]
        if rows:
            times = [row[3] for row in rows]
            sizes = [row[2] for row in rows if row[1] == 200]
            size = f", {statistics.median(sizes) / 1000:,.0f} KB" if sizes else ""
            print(
                f"    {label}: {len(rows)} requests, p50 {statistics.median(times):.0f} ms,"
                f" p95 {percentile(times, 95):.0f} ms{size}"
            )
    errors = [row[1] for row in loads if row[1] != 200]
    print(
        f"    pages: {len(loads)} requests in {elapsed:.1f} s ({len(loads) / elapsed:.1f}/s,"
        f" {sum(row[2] for row in loads) / elapsed / 1_000_000:.1f} MB/s), errors {len(errors)}"
        + (f" ({sorted(set(map(str, errors)))[:5]})" if errors else "")
        + f"; server CPU {cpu:.1f} s ({cpu / max(1, len(loads) + len(saves)) * 1000:.0f} ms a request)"
    )
    return p95


def serve_and_measure(database_url: str, workdir: Path, command: list[str], pages: list, edit: tuple) -> None:
    port = free_port()
    server, log = start_server(database_url, port, workdir, command)
    try:
        print(f"server: {' '.join(command)}, bound to 127.0.0.1:{port}, DEBUG=0")
        print(f"  machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        for label, path, cookies in pages[0]:  # every worker warm, and each page answers
            for _ in range(6):
                status, _, data, ms = get(port, path, cookies)
                assert status == 200, f"{label} answered {status}"
            print(f"  {label}: {len(data) / 1000:,.0f} KB, {ms:.0f} ms alone")
        saver = Autosaver(port, *edit)
        baseline: list = []
        saver.run(threading.Event(), baseline, until_count=BASELINE_SAVES)
        describe_saves("  autosave, no load", baseline)
        p95 = under_load(server, port, saver, pages, pause=0)
        print(f"  goal: autosave p95 under load < {GOAL_MS} ms: {'met' if p95 < GOAL_MS else 'NOT met'}")
        if VIEWER_PAUSE:
            under_load(server, port, saver, pages, pause=VIEWER_PAUSE)
        timeouts = log.read_text().count("WORKER TIMEOUT")
        if timeouts:
            print(f"  gunicorn: {timeouts} worker timeouts")
    finally:
        stop_server(server)


def main():
    database_url, server_url = own_database()
    if database_url:
        os.environ["BENCH_DATABASE_URL"] = database_url
    os.environ["SECRET_KEY"] = SECRET_KEY  # sessions made here are signed as the server checks them
    from _setup import django_setup

    engine = django_setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per session made otherwise
    database_url = os.environ["DATABASE_URL"]
    if engine == "sqlite":
        print(
            "database: SQLite (no PostgreSQL reachable). SQLite serialises every write: the figures are not meaningful"
        )
    else:
        print(f"database: PostgreSQL, {urlsplit(database_url).path.lstrip('/')} on {urlsplit(database_url).hostname}")
    workdir = Path(tempfile.mkdtemp(prefix="bench-autosave-"))
    try:
        from django.conf import settings
        from django.db import connection
        from django.urls import reverse

        review, imr, chronology, chair, author, section = build_world()
        edit_path = reverse("reports:section_edit", args=[review.pk, section.document_id, section.pk])
        name = settings.SESSION_COOKIE_NAME
        pages = []
        for _ in range(CLIENTS):
            chair_cookie, author_cookie = {name: session_cookie(chair)}, {name: session_cookie(author)}
            pages.append([
                ("integrated page", reverse("chronology:integrated", args=[review.pk]), chair_cookie),
                ("agency chronology page", reverse("chronology:entries", args=[review.pk, imr.pk]), author_cookie),
                ("timeline picture", reverse("chronology:timeline", args=[review.pk, chronology.version]),
                 chair_cookie),
            ])  # fmt: skip
        edit = (session_cookie(chair), edit_path)
        connection.close()

        command = production_command()
        print("as docker-compose.yml's web service runs it:")
        serve_and_measure(database_url, workdir, command, pages, edit)
        for extra in filter(None, os.environ.get("BENCH_GUNICORN_OPTIONS", "").split(";")):
            # Another command line to compare: its options in place of the workers and threads.
            compared = [arg for arg in command]
            for option in ("--workers", "--threads", "--worker-class"):
                while option in compared:
                    del compared[compared.index(option) : compared.index(option) + 2]
            compared[2:2] = extra.split()
            print("compared:")
            serve_and_measure(database_url, workdir, compared, pages, edit)
    finally:
        if server_url:
            from django.db import connections

            connections.close_all()
            drop_database(server_url)


if __name__ == "__main__":
    main()
