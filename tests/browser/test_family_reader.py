"""The family reads the draft, in Chromium with axe-core on each new page: the chair invites the
victim's sister, who makes her account, sets up her authenticator, signs in with it, reads the
version of the overview report the chair chose and comments; the chair reads the comment and
records the family's response. The rest of the review answers the reader 404."""

import datetime
import re
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import totp

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long enough passphrase"


def _invite(page, review) -> str:
    """The chair invites Karen Doyle to read the draft; returns the emailed link's path."""
    page.goto(f"/reviews/{review.pk}/family-readers/")
    assert_accessible(page)
    page.get_by_role("link", name="Invite a family member").click()
    page.get_by_role("heading", name="Invite a family member to read the draft").wait_for()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*Name")).fill("Karen Doyle")
    page.get_by_label(re.compile(r"^\s*Relationship")).fill("the victim's aunt")
    page.get_by_label(re.compile(r"^\s*Email")).fill("karen.doyle@example.org")
    until = datetime.date.today() + datetime.timedelta(days=21)
    page.get_by_label(re.compile(r"^\s*Access ends after")).fill(until.isoformat())
    # The overview report as it read at a moment of its history, not as it reads now.
    overview = page.get_by_label(re.compile(r"^\s*Version of the overview report"))
    overview.select_option(index=1)
    page.get_by_role("button", name="Send the invitation").click()
    page.get_by_text("Invitation emailed to Karen Doyle at karen.doyle@example.org.").wait_for()
    link = re.search(r"http://\S+/accounts/invitations/\S+/", mail.outbox[-1].body).group(0)
    return link.split("127.0.0.1:8000", 1)[1]


def _make_account(page, path: str) -> None:
    """Accept the invitation and set up an authenticator, as everyone invited does."""
    page.goto(path)
    page.get_by_label(re.compile(r"^\s*Username")).fill("kdoyle")
    page.get_by_label(re.compile(r"^\s*First name")).fill("Karen")
    page.get_by_label(re.compile(r"^\s*Last name")).fill("Doyle")
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill(PASSWORD)
    page.get_by_label(re.compile(r"^\s*Password again")).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.get_by_role("heading", name="Set up your authenticator app").wait_for()
    secret = page.locator("code.mfa-secret").inner_text().replace(" ", "")
    page.get_by_label(re.compile(r"^\s*Code")).fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Confirm").click()
    page.get_by_role("heading", name="Recovery codes").wait_for()
    page.get_by_role("link", name="I have kept them: continue").click()
    page.get_by_role("heading", name="The draft you were invited to read").wait_for()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")


def test_a_family_member_reads_the_draft_and_comments_to_the_chair(new_page, demo):
    chair = new_page()
    sign_in(chair, "chair")
    path = _invite(chair, demo)

    reader = new_page()
    _make_account(reader, path)
    # Signing in again: password, then the code from the app.
    sign_in(reader, "kdoyle", PASSWORD)
    reader.goto("/")
    reader.get_by_role("heading", name="The draft you were invited to read").wait_for()
    assert_accessible(reader)
    reader.get_by_role("link", name="Read the overview report").click()
    reader.get_by_role("heading", name="Comment on the draft").wait_for()
    assert "Draft: As it read" in reader.content()
    assert reader.locator("article.composed .composed-section").count() > 0
    assert_accessible(reader)
    reader.get_by_label(re.compile(r"^\s*Your comment")).fill("Her children called her Mum, never by her name.")
    reader.get_by_role("button", name="Send to the chair").click()
    reader.get_by_text("Your comment is sent to the review's chair.").wait_for()
    assert_accessible(reader)

    # Anything else of the review: not found.
    for url in (f"/reviews/{demo.pk}/", f"/reviews/{demo.pk}/documents/", f"/reviews/{demo.pk}/audit/"):
        assert reader.goto(url).status == 404, url

    chair.goto(f"/reviews/{demo.pk}/family-readers/")
    chair.get_by_text("Her children called her Mum, never by her name.").wait_for()
    chair.get_by_role("textbox", name=re.compile(r"^\s*The family's response")).fill(
        "Karen asked that the report call her Mum."
    )
    chair.get_by_label(re.compile(r"^\s*How the report changed")).fill("Section 2 quotes the family.")
    chair.get_by_role("button", name="Record the response").click()
    chair.get_by_text("The family's response is recorded.").wait_for()
    assert "Section 2 quotes the family." in chair.content()
    assert_accessible(chair)
