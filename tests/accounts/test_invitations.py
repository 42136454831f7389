"""Accounts are made by invitation only: a single-use, expiring, hashed link."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, User
from reviews.models import AuditEntry

NEW_ACCOUNT = {
    "username": "ivy",
    "first_name": "Ivy",
    "last_name": "Patel",
    "password1": "a long enough passphrase",
    "password2": "a long enough passphrase",
}


@pytest.fixture
def invite(client, world, mailoutbox, django_capture_on_commit_callbacks):
    """The board administrator invites someone; returns the link from the email."""

    def send(email: str = "ivy.patel@example.org", **extra) -> str:
        client.force_login(world.board_admin)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("invitation_create", args=[world.review.partnership_id]), {"email": email, **extra}
            )
        assert response.status_code == 302, response.content.decode()[:1000]
        client.logout()
        return re.search(r"http://\S+/accounts/invitations/(\S+)/", mailoutbox[-1].body).group(0)

    return send


def _path(link: str) -> str:
    return link.split("127.0.0.1:8000", 1)[1]


def test_an_invited_person_makes_an_account_and_goes_on_to_set_up_mfa(invite, world):
    link = invite()
    anonymous = Client()
    page = anonymous.get(_path(link)).content.decode()
    assert "ivy.patel@example.org" in page and world.review.partnership.name in page
    response = anonymous.post(_path(link), NEW_ACCOUNT)
    assert response.url == reverse("mfa_enrol")
    user = User.objects.get(username="ivy")
    assert (user.email, user.get_full_name()) == ("ivy.patel@example.org", "Ivy Patel")
    assert user.check_password(NEW_ACCOUNT["password1"])
    # Signed in with the password only: nothing but MFA set-up until that is done.
    assert anonymous.get(reverse("home")).url.startswith(reverse("mfa_enrol"))
    actions = set(AuditEntry.objects.filter(action__startswith="invitation.").values_list("action", flat=True))
    assert actions == {"invitation.sent", "invitation.accepted"}


def test_only_a_hash_of_the_token_is_stored(invite):
    link = invite()
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64


def test_an_invitation_link_works_once(invite):
    link = invite()
    Client().post(_path(link), NEW_ACCOUNT)
    again = Client().get(_path(link))
    assert again.status_code == 400
    assert "already been used to create an account" in again.content.decode()
    second = Client().post(_path(link), {**NEW_ACCOUNT, "username": "ivy2"})
    assert second.status_code == 400 and not User.objects.filter(username="ivy2").exists()


def test_an_expired_invitation_says_so(invite):
    link = invite()
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = Client().get(_path(link))
    assert response.status_code == 400 and "This invitation expired on" in response.content.decode()


def test_an_invitation_expires_after_seven_days(invite):
    invite()
    invitation = Invitation.objects.get()
    lifetime = invitation.expires_at - invitation.created_at
    assert lifetime == pytest.approx(datetime.timedelta(days=7), abs=datetime.timedelta(seconds=5))


def test_a_made_up_link_is_not_valid(db):
    response = Client().get(reverse("invitation_accept", args=["made-up-token"]))
    assert response.status_code == 400 and "This invitation link is not valid" in response.content.decode()


def test_a_weak_or_mismatched_password_is_explained_and_nothing_is_saved(invite):
    link = invite()
    client = Client()
    short = client.post(_path(link), {**NEW_ACCOUNT, "password1": "short", "password2": "short"}).content.decode()
    assert "at least 12 characters" in short
    mismatch = client.post(_path(link), {**NEW_ACCOUNT, "password2": "something else entirely"})
    assert "The two passwords are not the same." in mismatch.content.decode()
    assert not User.objects.filter(username="ivy").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_taken_username_is_explained(invite, world):
    link = invite()
    page = Client().post(_path(link), {**NEW_ACCOUNT, "username": world.chair.username}).content.decode()
    assert f"The username {world.chair.username} is taken" in page
    assert Invitation.objects.get().accepted_at is None


def test_an_invitation_with_a_review_role_grants_it_on_acceptance(invite, world):
    link = invite(review=world.review.pk, role="imr_author", agency=world.agency_a.pk)
    Client().post(_path(link), NEW_ACCOUNT)
    user = User.objects.get(username="ivy")
    assert world.review.memberships.filter(user=user, role="imr_author", agency=world.agency_a).exists()


def test_the_invitation_form_names_what_is_wrong(client, world):
    client.force_login(world.board_admin)
    url = reverse("invitation_create", args=[world.review.partnership_id])
    page = client.post(url, {"email": "not an email", "role": "panel"}).content.decode()
    assert "Enter a valid email address." in page
    assert "Choose both a review and a role, or neither." in page
    page = client.post(url, {"email": "a@example.org", "review": world.review.pk, "role": "imr_author"})
    assert "IMR authors and action owners act for an agency: choose one." in page.content.decode()
    assert not Invitation.objects.exists()


def test_a_board_admin_cannot_invite_to_another_board(client, world):
    client.force_login(world.other_board_admin)
    url = reverse("invitation_create", args=[world.review.partnership_id])
    assert client.post(url, {"email": "x@example.org"}).status_code == 404
    assert not Invitation.objects.exists()


def test_a_signed_in_person_cannot_accept_an_invitation(invite, client, world):
    link = invite()
    client.force_login(world.chair)
    response = client.get(_path(link))
    assert response.status_code == 400 and "sign out" in response.content.decode()
