"""The people of bench_scale_out.py, for locust: chairs paging through integrated chronologies,
editors autosaving a section as the editor does, and chairs asking for builds and renders that
the Celery workers carry out. Who signs in where comes from the plan file that bench_scale_out.py
writes (BENCH_LOCUST_PLAN): sessions already past both factors, made in the database."""

import itertools
import json
import os
import random
import re
import uuid

from locust import HttpUser, between, constant, task

PLAN = json.loads(open(os.environ["BENCH_LOCUST_PLAN"]).read())  # noqa: SIM115 (read once at import)
_turns = {kind: itertools.count() for kind in ("readers", "editors", "requesters")}


def _take(kind: str) -> dict:
    """The next person of this kind in the plan (each locust user is one of them)."""
    people = PLAN[kind]
    return people[next(_turns[kind]) % len(people)]


class _SignedIn(HttpUser):
    abstract = True
    kind = ""

    def on_start(self) -> None:
        self.person = _take(self.kind)
        # As through the TLS proxy that production runs behind (compose): HTTPS as far as Django knows.
        self.client.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"})
        # The cookies are sent as a header: the server marks them Secure, which a cookie jar keeps
        # from a plain-HTTP connection (here, the proxy's side of TLS).
        self.cookies = {PLAN["session_cookie"]: self.person["session"]}
        self._send_cookies()

    def _send_cookies(self) -> None:
        self.client.headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def keep_csrf_token(self, response) -> str:
        """The CSRF token the page set (its cookie), sent from now on."""
        token = response.cookies.get(PLAN["csrf_cookie"]) or self.cookies.get(PLAN["csrf_cookie"], "")
        self.cookies[PLAN["csrf_cookie"]] = token
        self._send_cookies()
        return token


class ChairReader(_SignedIn):
    """A chair reading the integrated chronology, a page at a time, in no particular order."""

    weight = 6
    kind = "readers"
    wait_time = between(0.5, 1.5)

    @task
    def read_page(self) -> None:
        page = random.randint(1, self.person["pages"])
        self.client.get(f"{self.person['path']}?page={page}", name="integrated chronology page")


class Editor(_SignedIn):
    """An editor typing in a section: the editor's own autosave POST every 2 s (editor.js)."""

    weight = 3
    kind = "editors"
    wait_time = constant(2)

    def on_start(self) -> None:
        super().on_start()
        self.saves = 0
        self.open_editor()

    def open_editor(self) -> None:
        response = self.client.get(self.person["path"], name="section editor page")
        field = re.search(r'<input[^>]*id="base-version"[^>]*>', response.text)
        self.version = int(re.search(r'value="(\d+)"', field.group(0)).group(1)) if field else 0
        self.token = self.keep_csrf_token(response)

    @task
    def autosave(self) -> None:
        self.saves += 1
        body = "".join(
            f"<p>Paragraph {n}: what each agency knew about Adult A and when; draft {self.saves}.</p>"
            for n in range(20)
        )
        origin = PLAN["origin"]
        with self.client.post(
            self.person["path"],
            data={"body": body, "base_version": self.version, "autosave": "1", "save_id": str(uuid.uuid4())},
            headers={"Accept": "application/json", "X-CSRFToken": self.token, "Origin": origin,
                     "Referer": origin + self.person["path"]},
            name="autosave", catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 200:
                self.version = response.json()["version"]
            else:
                response.failure(f"autosave answered {response.status_code}")
                self.open_editor()


class JobRequester(_SignedIn):
    """A chair asking for a new version of the integrated chronology and a PDF of the report in
    turn: each request is a short POST; the work is the Celery workers'."""

    weight = 1
    kind = "requesters"
    # A PDF of the overview report (with its chronology appendix) is minutes of a worker's CPU here.
    wait_time = constant(15)

    def on_start(self) -> None:
        super().on_start()
        response = self.client.get(self.person["document_path"], name="document page")
        self.token = self.keep_csrf_token(response)
        self.turn = 0
        assert response.status_code == 200, response.status_code

    def _post(self, path: str, data: dict, name: str) -> None:
        origin = PLAN["origin"]
        headers = {"X-CSRFToken": self.token, "Origin": origin, "Referer": origin + path}
        with self.client.post(
            path, data={**data, "csrfmiddlewaretoken": self.token}, headers=headers, name=name,
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"{name} answered {response.status_code}")

    @task
    def request_work(self) -> None:
        self.turn += 1
        review = self.person["reviews"][self.turn // 2 % len(self.person["reviews"])]
        if self.turn % 2:
            self._post(review["build_path"], {}, "request integrated build")
        else:
            self._post(review["render_path"], {"format": "pdf", "version": "panel"}, "request document render")
