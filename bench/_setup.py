"""Shared set-up for benchmarks: Django on a throwaway database.

By default a fresh SQLite file in a temporary directory; set BENCH_DATABASE_URL to run
against PostgreSQL (it must name a database the benchmark may fill and empty)."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup() -> str:
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they are measured
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casereview.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    settings.WHITENOISE_AUTOREFRESH = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The emails a timed action sends (a chair told of a suggestion) are kept, not printed among the figures.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    if os.environ.get("BENCH_DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    return url.split(":", 1)[0]


def sign_in(client, user) -> None:
    """Sign ``client`` in as ``user`` past both factors, as a real session is (the tests' own
    helper: a confirmed authenticator, the session marked verified as django_otp.login does)."""
    from tests.conftest import force_login_with_mfa

    force_login_with_mfa(client, user)
