"""A forgotten password reset by email, a password changed, and a passkey added, used at the
second sign-in step and removed, in Chromium (its virtual authenticator standing in for a phone or
security key), with axe-core on each page and nothing refused by the Content-Security-Policy."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache

from accounts.models import User
from reviews.models import AuditEntry
from tests.browser.conftest import assert_accessible, assert_reflows, sign_in
from tests.conftest import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a fresh and long passphrase"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()


def _past_the_code_page(url: str) -> bool:
    return "/accounts/mfa/" not in url


def _sign_in_password(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/mfa/**")


def test_a_forgotten_password_is_reset_by_email_and_the_second_factor_still_asked(new_page, demo):
    police = User.objects.get(username="police")
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_role("heading", name="Forgotten your password?").wait_for()
    assert_accessible(page)
    assert_reflows(page)
    page.get_by_label(re.compile(r"^\s*Email address")).fill(police.email)
    page.get_by_role("button", name="Email me a link").click()
    page.get_by_text(f"If a casereview account uses {police.email}, we have emailed it a link").wait_for()
    assert_accessible(page)
    link = re.search(r"http://\S+/accounts/password/reset/\S+/\S+/", mail.outbox[-1].body).group(0)
    path = link.split(django_settings.SITE_URL, 1)[1]

    page.goto(path)
    page.get_by_role("heading", name="Set a new password").wait_for()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*New password\*?\s*$")).fill("short")
    page.get_by_label(re.compile(r"^\s*New password again")).fill("short")
    page.get_by_role("button", name="Set new password").click()
    page.get_by_text("This password is too short").first.wait_for()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*New password\*?\s*$")).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^\s*New password again")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    page.get_by_text("Your new password is set.").wait_for()
    assert_accessible(page)

    # The new password leads to the code page, not in: the second factor is still asked.
    _sign_in_password(page, "police", NEW_PASSWORD)
    page.get_by_role("heading", name="Enter your code").wait_for()
    page.get_by_label("Code").fill(totp_code(police))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(_past_the_code_page)
    page.get_by_role("heading", name="My reviews").wait_for()

    # The link worked once.
    used = new_page()
    used.goto(path)
    used.get_by_text("This link has been used already").wait_for()
    assert_accessible(used)
    actions = set(AuditEntry.objects.filter(object_id=str(police.pk)).values_list("action", flat=True))
    assert {"password_reset.requested", "password_reset.completed", "password_reset.link_refused"} <= actions


def test_a_password_is_changed_from_the_security_page(new_page, demo):
    page = new_page()
    sign_in(page, "panel")
    page.get_by_role("link", name="Sign-in and security").click()
    page.get_by_role("heading", name="Sign-in and security").wait_for()
    page.get_by_role("link", name="Change your password").click()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*Current password")).fill("casereview-demo")
    page.get_by_label(re.compile(r"^\s*New password\*?\s*$")).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^\s*New password again")).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("Your password is changed. You have been signed out everywhere else.").wait_for()
    assert User.objects.get(username="panel").check_password(NEW_PASSWORD)


def _virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def test_a_passkey_is_added_used_to_sign_in_and_removed(new_page, demo, live_server, settings):
    # The live server's origin: a passkey is bound to a domain name (localhost), never an IP address.
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url.replace("127.0.0.1", "localhost")]
    page = new_page()
    page.goto(live_server.url.replace("127.0.0.1", "localhost") + "/accounts/login/")
    _virtual_authenticator(page)
    page.get_by_label("Username").fill("chair")
    page.get_by_label("Password").fill("casereview-demo")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(totp_code(User.objects.get(username="chair")))
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Signed in as").wait_for()

    page.get_by_role("link", name="Sign-in and security").click()
    page.get_by_text("You have no passkeys.").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_text("Passkey added: you can use it at the second step of signing in.").wait_for()
    assert page.get_by_role("row").filter(has_text="Passkey added").count() == 1
    assert_accessible(page)
    assert_reflows(page)

    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("Username").fill("chair")
    page.get_by_label("Password").fill("casereview-demo")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter your code").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(_past_the_code_page)
    page.get_by_role("heading", name="My reviews").wait_for()
    chair = User.objects.get(username="chair")
    assert AuditEntry.objects.filter(actor=chair, action="mfa.passkey_used").count() == 1

    page.get_by_role("link", name="Sign-in and security").click()
    page.get_by_role("button", name=re.compile(r"^Remove the passkey added")).click()
    page.get_by_text(re.compile(r"Removed the passkey added .*: it no longer signs you in\.")).wait_for()
    page.get_by_text("You have no passkeys.").wait_for()
    actions = list(
        AuditEntry.objects.filter(actor=chair, action__startswith="mfa.passkey").values_list("action", flat=True)
    )
    assert sorted(actions) == ["mfa.passkey_added", "mfa.passkey_removed", "mfa.passkey_used"]


def test_a_pending_invitation_is_withdrawn_and_its_link_says_so(new_page, demo):
    admin = new_page()
    sign_in(admin, "boardadmin")
    admin.goto(f"/accounts/partnerships/{demo.partnership_id}/invitations/")
    admin.get_by_label(re.compile(r"^\s*Email")).fill("jo.bloggs@example.org")
    admin.get_by_role("button", name="Send invitation").click()
    admin.get_by_text("Invitation emailed to jo.bloggs@example.org.").wait_for()
    link = re.search(r"http://\S+/accounts/invitations/\S+/", mail.outbox[-1].body).group(0)
    admin.get_by_role("button", name="Withdraw the invitation for jo.bloggs@example.org").click()
    admin.get_by_text("The invitation for jo.bloggs@example.org is withdrawn: its link no longer works.").wait_for()
    assert admin.get_by_role("row").filter(has_text="jo.bloggs@example.org").filter(has_text="Withdrawn").count() == 1
    assert_accessible(admin)

    page = new_page()
    page.goto(link.split(django_settings.SITE_URL, 1)[1])
    page.get_by_text(
        "This invitation was withdrawn. Ask your board administrator if you still need an account."
    ).wait_for()
    assert "jo.bloggs" not in page.content()
    assert_accessible(page)
