"""A board administrator withdraws a pending invitation: its link then says only that it was withdrawn."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation, User
from reviews.models import AuditEntry
from tests.accounts.test_invitations import NEW_ACCOUNT, _path


@pytest.fixture
def invited(client, world, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(world.board_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitation_create", args=[world.review.partnership_id]), {"email": "ivy@example.org"})
    link = re.search(r"http://\S+/accounts/invitations/\S+/", mailoutbox[-1].body).group(0)
    return Invitation.objects.get(email="ivy@example.org"), link


def _withdraw(client, world, invitation):
    return client.post(reverse("invitation_withdraw", args=[world.review.partnership_id, invitation.pk]))


def test_a_withdrawn_invitations_link_says_so_and_nothing_else(client, world, invited):
    invitation, link = invited
    response = _withdraw(client, world, invitation)
    assert response.url == reverse("invitation_create", args=[world.review.partnership_id])
    page = client.get(response.url).content.decode()
    assert "The invitation for ivy@example.org is withdrawn: its link no longer works." in page
    assert "Withdrawn" in page
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None and invitation.withdrawn_by == world.board_admin
    entry = AuditEntry.objects.get(action="invitation.withdrawn")
    assert (entry.actor, entry.partnership_id) == (world.board_admin, world.review.partnership_id)

    anonymous = Client()
    shown = anonymous.get(_path(link))
    assert shown.status_code == 400
    text = shown.content.decode()
    assert "This invitation was withdrawn. Ask your board administrator if you still need an account." in text
    assert "ivy@example.org" not in text and world.review.partnership.name not in text
    assert anonymous.post(_path(link), NEW_ACCOUNT).status_code == 400
    assert not User.objects.filter(username="ivy").exists()


def test_an_accepted_invitation_cannot_be_withdrawn(client, world, invited):
    invitation, link = invited
    Client().post(_path(link), NEW_ACCOUNT)
    response = _withdraw(client, world, invitation)
    page = client.get(response.url).content.decode()
    assert "was accepted on" in page and "there is nothing to withdraw" in page
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None
    assert not AuditEntry.objects.filter(action="invitation.withdrawn").exists()


def test_withdrawing_twice_says_it_was_withdrawn_already(client, world, invited):
    invitation, _ = invited
    _withdraw(client, world, invitation)
    response = _withdraw(client, world, invitation)
    assert "was withdrawn already" in client.get(response.url).content.decode()
    assert AuditEntry.objects.filter(action="invitation.withdrawn").count() == 1


def test_another_boards_administrator_cannot_withdraw_it(world, invited):
    invitation, _ = invited
    other = Client()
    other.force_login(world.other_board_admin)
    assert _withdraw(other, world, invitation).status_code == 404
    own = reverse("invitation_withdraw", args=[world.other_review.partnership_id, invitation.pk])
    assert other.post(own).status_code == 404  # not an invitation of their partnership
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None


def test_only_a_pending_invitation_offers_the_withdraw_button(client, world, invited):
    invitation, _ = invited
    page = client.get(reverse("invitation_create", args=[world.review.partnership_id])).content.decode()
    assert "Withdraw the invitation for ivy@example.org" in page
    _withdraw(client, world, invitation)
    page = client.get(reverse("invitation_create", args=[world.review.partnership_id])).content.decode()
    assert "Withdraw the invitation for ivy@example.org" not in page
