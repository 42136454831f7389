"""An invited person makes an account and sets up an authenticator, in Chromium, with
axe-core on each page."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import totp

from accounts.models import User
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_invited_person_makes_an_account_and_sets_up_an_authenticator(new_page, demo):
    admin = new_page()
    sign_in(admin, "boardadmin")
    admin.goto(f"/partnerships/{demo.partnership_id}/")
    admin.get_by_role("link", name="Invite people").click()
    assert_accessible(admin)
    admin.get_by_label(re.compile(r"^\s*Email")).fill("jo.bloggs@example.org")
    admin.get_by_role("button", name="Send invitation").click()
    admin.get_by_text("Invitation emailed to jo.bloggs@example.org.").wait_for()
    link = re.search(r"http://\S+/accounts/invitations/\S+/", mail.outbox[-1].body).group(0)

    page = new_page()
    page.goto(link.split("127.0.0.1:8000", 1)[1])
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*Username")).fill("jbloggs")
    page.get_by_label(re.compile(r"^\s*First name")).fill("Jo")
    page.get_by_label(re.compile(r"^\s*Last name")).fill("Bloggs")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill("a long enough passphrase")
    page.get_by_label(re.compile(r"^\s*Password again")).fill("a long enough passphrase")
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Set up your authenticator app").wait_for()
    assert page.locator("figure.mfa-qr svg").count() == 1
    assert_accessible(page)
    secret = page.locator("code.mfa-secret").inner_text().replace(" ", "")
    page.get_by_label(re.compile(r"^\s*Code")).fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Recovery codes").wait_for()
    assert page.locator("ul.recovery-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have kept them: continue").click()
    page.get_by_text("Signed in as Jo Bloggs").wait_for()
    assert User.objects.get(username="jbloggs").email == "jo.bloggs@example.org"
