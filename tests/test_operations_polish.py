"""For a newcomer: the demo's current code on the command line, quiet commands, a favicon."""

import hashlib
import hmac
import logging
import re
import struct
import time
from base64 import b32decode

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from kombu import Connection

from accounts.demo import DEMO_TOTP_SECRET
from accounts.management.commands.demo_code import demo_code
from casereview.celery import app as celery_app
from tests.factories import UserFactory


def _rfc6238(secret: str, now: float) -> str:
    digest = hmac.new(b32decode(secret), struct.pack(">Q", int(now) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def test_demo_code_is_the_authenticator_apps_code_for_the_demo_key():
    for now in (59, 1_111_111_109, 2_000_000_000.5):
        assert demo_code(now) == (_rfc6238(DEMO_TOTP_SECRET, now), 30 - int(now) % 30)


def test_the_demo_code_command_prints_the_current_code(capsys):
    call_command("demo_code")
    out = capsys.readouterr().out
    match = re.fullmatch(r"(\d{6}) \(the demo users' code for the next (\d+) s; demo only\)\n", out)
    assert match, out
    assert match.group(1) in {_rfc6238(DEMO_TOTP_SECRET, time.time() + d) for d in (-30, 0)}


def test_the_in_process_broker_names_its_host_so_kombu_does_not_warn(caplog):
    with caplog.at_level(logging.WARNING, logger="kombu"):
        Connection("memory://").info()  # what the broker URL was: kombu warns
        assert any("No hostname was supplied" in r.getMessage() for r in caplog.records)
        caplog.clear()
        if celery_app.conf.broker_url.startswith("memory:"):
            celery_app.connection_for_write().info()
        assert caplog.records == []


def test_sign_ins_write_no_axes_lines_below_warning(db, caplog):
    user = UserFactory(username="quiet")
    user.set_password("correct horse battery staple")
    user.save()
    with caplog.at_level(logging.DEBUG):
        Client().post(reverse("login"), {"username": "quiet", "password": "wrong"})
        Client().post(reverse("login"), {"username": "quiet", "password": "correct horse battery staple"})
    assert [r.getMessage() for r in caplog.records if r.name.startswith("axes") and r.levelno < logging.WARNING] == []


def test_the_favicon_is_served_at_the_root_and_linked_from_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon' in page and 'href="/favicon.ico"' in page
