"""Every page carries the security headers, and no page has script or style the
Content-Security-Policy would refuse (inline <script>, on* handlers, style attributes)."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PERSONAS
from tests.test_permission_matrix import MATRIX, Row

# Every test here only makes requests and reads (or changes what a savepoint rolls back): the world
# is built once for the module and each test runs in a savepoint of it (tests/conftest.py).
SHARED_WORLD = True

TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
HANDLER_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)
REQUIRED_DIRECTIVES = [
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
]


def assert_secure_page(response, where: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    if response.get("Content-Type", "").startswith("image/svg+xml"):
        # A picture of ours (the timeline) is allowed nothing at all, opened on its own.
        assert policy.startswith("default-src 'none'; sandbox;") and "frame-ancestors 'none'" in policy, where
    else:
        for directive in REQUIRED_DIRECTIVES:
            assert directive in policy, f"{where}: CSP lacks {directive!r}: {policy!r}"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), f"{where}: inline script {INLINE_SCRIPT.search(html).group(0)}"
    assert "javascript:" not in html.lower(), f"{where}: a javascript: URL"
    for tag in TAG.findall(html):
        assert not HANDLER_ATTRIBUTE.search(tag), f"{where}: event handler attribute in {tag[:200]}"
        assert not STYLE_ATTRIBUTE.search(tag), f"{where}: style attribute in {tag[:200]}"


GET_ROWS = [row for row in MATRIX if row.method == "GET"]


@pytest.mark.parametrize("row", GET_ROWS, ids=lambda row: row.id)
def test_every_page_the_personas_reach_is_served_under_the_csp(world, row: Row):
    reached = [persona for persona in PERSONAS if row.outcomes[persona] == 200]
    for persona in reached:
        client = Client()
        user = world.persona(persona)
        if user is not None:
            client.force_login(user)
        response = client.get(reverse(row.name, args=row.args(world)), row.data(world))
        assert response.status_code == 200
        assert_secure_page(response, f"{persona} {row.id}")


def test_pages_in_passing_states_are_served_under_the_csp_too(client, world):
    """States the permission matrix does not stop in: a build in progress (progress bar)
    and a failed one (retry form)."""
    from chronology.models import IntegratedChronology

    client.force_login(world.chair)
    url = reverse("chronology:integrated", args=[world.review.pk])
    build = IntegratedChronology.objects.create(review=world.review, version=1, status="running", progress=40)
    page = client.get(url)
    assert 'max="100" value="40"' in page.content.decode()  # a native progress bar: no style needed
    assert_secure_page(page, "integrated (building)")
    status_url = reverse("chronology:build_status", args=[world.review.pk, build.pk])
    status = client.get(status_url, HTTP_ACCEPT="application/json")
    assert_secure_page(status, "build status (building)")
    IntegratedChronology.objects.filter(pk=build.pk).update(status="failed", error="Worker lost")
    assert_secure_page(client.get(url), "integrated (failed)")


def test_error_and_redirect_responses_carry_the_headers_too(client, world):
    client.force_login(world.outsider)
    assert_secure_page(client.get(reverse("reviews:detail", args=[world.review.pk])), "404")
    assert_secure_page(Client().get(reverse("home")), "sign-in redirect")


def test_mfa_pages_are_served_under_the_csp(world):
    from tests.conftest import force_login_password_only
    from tests.factories import UserFactory

    client = Client()
    force_login_password_only(client, UserFactory())
    assert_secure_page(client.get(reverse("mfa_enrol")), "mfa_enrol")
    verified = Client()
    verified.force_login(world.chair)
    verified.post(reverse("mfa_recovery_codes"))
    assert_secure_page(verified.get(reverse("mfa_recovery_codes")), "mfa_recovery_codes")


def test_https_responses_carry_hsts_in_production(settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = Client().get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_session_and_csrf_cookies_are_secure_and_http_only_by_default():
    """Production settings (DEBUG off); the test run switches Secure off for plain HTTP."""
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='casereview.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS)"
    )
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "SECRET_KEY": "x" * 60}
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=root)
    assert result.stdout.split() == ["True", "True", "True", "True", "31536000"], result.stderr
