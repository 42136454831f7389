"""Behind the TLS proxy the sign-in lockout counts by username and the client's address as the
proxy reports it: five wrong passwords from elsewhere never lock the chair out of her own
address, and a client cannot claim somebody else's address."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.2"
CHAIR_ADDRESS = "203.0.113.5"
ATTACKER_ADDRESS = "198.51.100.7"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def behind_proxy(settings):
    """What BEHIND_TLS_PROXY=1 sets (checked in the last test), the proxy setting X-Forwarded-For."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0


@pytest.fixture
def chair(db):
    user = UserFactory(username="chairperson")
    user.set_password(PASSWORD)
    user.save()
    return user


def _sign_in(forwarded_for: str, password: str):
    return Client().post(
        reverse("login"),
        {"username": "chairperson", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_five_wrong_passwords_from_elsewhere_do_not_lock_the_chair_out(behind_proxy, chair):
    for _ in range(5):
        _sign_in(ATTACKER_ADDRESS, "wrong password")
    assert _sign_in(ATTACKER_ADDRESS, PASSWORD).status_code == 429  # that address is locked out
    assert _sign_in(CHAIR_ADDRESS, PASSWORD).status_code == 302  # the chair's is not


def test_a_client_claiming_the_chairs_address_is_counted_as_the_proxy(behind_proxy, chair):
    # The client sends X-Forwarded-For: <the chair's address>; a proxy that appends adds its own view.
    for _ in range(5):
        _sign_in(f"{CHAIR_ADDRESS}, {ATTACKER_ADDRESS}", "wrong password")
    assert _sign_in(CHAIR_ADDRESS, PASSWORD).status_code == 302


def test_the_chairs_own_wrong_passwords_do_lock_her_address(behind_proxy, chair):
    for _ in range(5):
        _sign_in(CHAIR_ADDRESS, "wrong password")
    assert _sign_in(CHAIR_ADDRESS, PASSWORD).status_code == 429
    assert _sign_in(ATTACKER_ADDRESS, PASSWORD).status_code == 302


def test_without_the_proxy_forwarded_for_is_ignored(settings, chair):
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)
    for _ in range(5):
        Client().post(
            reverse("login"),
            {"username": "chairperson", "password": "wrong"},
            REMOTE_ADDR=ATTACKER_ADDRESS,
            HTTP_X_FORWARDED_FOR=CHAIR_ADDRESS,
        )
    signed_in = Client().post(
        reverse("login"), {"username": "chairperson", "password": PASSWORD}, REMOTE_ADDR=CHAIR_ADDRESS
    )
    assert signed_in.status_code == 302


def test_behind_tls_proxy_reads_the_address_from_the_proxy_and_the_environment_can_change_it():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='casereview.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.AXES_IPWARE_PROXY_COUNT, s.AXES_LOCKOUT_PARAMETERS)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AXES_", "BEHIND_"))}

    def run(**extra: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", code], env={**env, **extra}, capture_output=True, text=True, cwd=ROOT, timeout=60
        )
        return result.stdout.strip()

    assert run(BEHIND_TLS_PROXY="1") == "('HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR') 0 [['username', 'ip_address']]"
    assert run(
        BEHIND_TLS_PROXY="1", AXES_IPWARE_META_PRECEDENCE_ORDER="HTTP_X_REAL_IP", AXES_IPWARE_PROXY_COUNT="1"
    ) == ("('HTTP_X_REAL_IP',) 1 [['username', 'ip_address']]")
