"""An archived review is read-only for everyone, whatever the path: every change the permission
matrix lets someone make is refused once the review is archived (403, saying why), and nothing
in the database changes, not even the audit trail. The services refuse too, so a change that
comes another way (the board's invitation form, an invitation accepted later) is refused."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Invitation, User
from actions import services as action_services
from actions.models import Action
from reviews import retention
from reviews.archived import ARCHIVED_MESSAGE
from reviews.models import AuditEntry, ReviewMembership
from reviews.selectors import VIEW_ACTIONS
from reviews.services import membership_add
from tests.conftest import World
from tests.test_permission_matrix import LOGIN, MATRIX, Row, action_plan

# Every test here only makes requests and reads (or changes what a savepoint rolls back): the world
# is built once for the module and each test runs in a savepoint of it (tests/conftest.py).
SHARED_WORLD = True

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)

# POSTs that are not a change to the review's data: they stay open while it is archived.
NOT_THE_REVIEWS_DATA = {
    "logout",
    "mfa_verify",
    "mfa_enrol",
    "mfa_recovery_codes",
    "session_keep_alive",  # the signed-in session, not a review
    "invitation_accept",  # the account; the role it carries is tested below
    "invitation_create",  # the board's; with an archived review chosen, tested below
    "invitation_withdraw",  # the board's invitation, not a review's data
    "password_change",  # the account's own sign-in
    "password_reset",
    "passkey_register_begin",
    "passkey_register_complete",
    "passkey_remove",
    "reviews:create",
    "reviews:partnership_detail",
    "reviews:partnership_logo",  # the board's logo, for every review's cover
    "actions:reminder_hour",  # the board's hour for reminders, for every review
    "actions:board_export",
    "actions:board_export_status",
    "actions:themes",
}
# What a board administrator does to an archived review, and the files the panel may still make
# of what it reads (each audited as a read).
OPEN_WHILE_ARCHIVED = {
    "reviews:archive",
    "reviews:unarchive",
    "reviews:purge",
    "chronology:export",
    "chronology:export_retry",
    "reports:render_request",
    "reports:render_retry",
    "reports:render_cancel",
    "chronology:export_cancel",
}

# Everything a change to a review could touch.
CASE_APPS = ("accounts", "reviews", "chronology", "reports", "actions")


def _database() -> dict[str, list[dict]]:
    """Every row a change could touch. The audit entries that record a look (a document opened
    on the way to the refusal) are not changes: they are written whatever the request does next."""
    reads = Q()
    for suffix in (*VIEW_ACTIONS, ".searched"):
        reads |= Q(action__endswith=suffix)
    return {
        model._meta.label: list(
            (model.objects.exclude(reads) if model is AuditEntry else model.objects).order_by("pk").values()
        )
        for app in CASE_APPS
        for model in apps.get_app_config(app).get_models()
    }


def _allowed(row: Row) -> list[str]:
    """Who the matrix lets through (a change made, or a form answered) while it is open."""
    return [persona for persona, outcome in row.outcomes.items() if outcome in (200, 302) and outcome != LOGIN]


# Every change someone may make to the review while it is open (a 200 is a form answered).
WRITES = [
    row
    for row in MATRIX
    if row.method == "POST" and row.name not in NOT_THE_REVIEWS_DATA | OPEN_WHILE_ARCHIVED and _allowed(row)
]


def _archive(world: World) -> None:
    retention.review_archive(actor=world.board_admin, review=world.review, retain_until=NEXT_YEAR)


def test_the_posts_left_open_on_an_archived_review_are_still_urls():
    listed = NOT_THE_REVIEWS_DATA | OPEN_WHILE_ARCHIVED
    assert listed <= {row.name for row in MATRIX if row.method == "POST"}, "a listed URL has gone"
    assert len(WRITES) > 40


@pytest.mark.parametrize("row", WRITES, ids=lambda row: row.id)
def test_no_change_is_made_to_an_archived_review(world: World, row: Row):
    url = reverse(row.name, args=row.args(world))
    _archive(world)
    for persona in _allowed(row):
        client = Client()
        client.force_login(world.persona(persona))
        before = _database()
        response = client.post(url, row.data(world))
        assert response.status_code == 403, f"{persona} {row.id}: {response.status_code}"
        assert ARCHIVED_MESSAGE in response.content.decode(), f"{persona} {row.id}: the page does not say why"
        assert _database() == before, f"{persona} {row.id}: something changed"


def test_the_board_cannot_invite_someone_into_an_archived_review(client: Client, world: World):
    _archive(world)
    client.force_login(world.board_admin)
    response = client.post(
        reverse("invitation_create", args=[world.review.partnership_id]),
        {"email": "new.panel@example.org", "review": world.review.pk, "role": "panel"},
    )
    assert response.status_code == 200
    assert ARCHIVED_MESSAGE in response.content.decode()
    assert not Invitation.objects.filter(email="new.panel@example.org").exists()
    with pytest.raises(ValidationError, match="archived"):
        account_services.invitation_create(
            actor=world.board_admin,
            partnership=world.review.partnership,
            email="new.panel@example.org",
            review=world.review,
            role="panel",
        )
    # Another review of the board, open, still takes invitations from the same form.
    assert (
        client.post(
            reverse("invitation_create", args=[world.review.partnership_id]), {"email": "new.person@example.org"}
        ).status_code
        == 302
    )


def test_an_invitation_accepted_after_the_review_is_archived_makes_the_account_without_the_role(world: World):
    invitation = account_services.invitation_create(
        actor=world.board_admin,
        partnership=world.review.partnership,
        email="late@example.org",
        review=world.review,
        role="panel",
    )
    _archive(world)
    user = account_services.invitation_accept(
        invitation=invitation, username="late", first_name="Lee", last_name="Late", password="a long enough passphrase"
    )
    assert User.objects.filter(pk=user.pk).exists()
    assert not ReviewMembership.objects.filter(review=world.review, user=user).exists()
    entry = AuditEntry.objects.get(action="invitation.accepted", object_id=str(invitation.pk))
    assert entry.detail == {"role_not_granted": "the review is archived"}


def test_the_services_refuse_a_change_to_an_archived_review_whoever_calls_them(world: World):
    plan = action_plan(world)
    _archive(world)
    before = _database()
    changes = [
        lambda: action_services.progress_add(
            actor=world.owner, action=plan.action_a, text="Done.", status=Action.Status.ON_TRACK
        ),
        lambda: action_services.action_assure(actor=world.board_admin, action=plan.action_a),
        lambda: action_services.milestone_add(actor=world.chair, action=plan.action_a, text="Brief", due_date=None),
        lambda: membership_add(actor=world.chair, review=world.review, user=world.outsider, role="panel"),
    ]
    for change in changes:
        with pytest.raises(ValidationError, match="This review is archived: it can no longer be changed."):
            change()
    assert _database() == before


def test_reopened_the_review_takes_changes_again(client: Client, world: World):
    _archive(world)
    retention.review_unarchive(actor=world.board_admin, review=world.review)
    plan = action_plan(world)
    updates = plan.action_a.updates.count()
    client.force_login(world.owner)
    response = client.post(
        reverse("actions:action_progress", args=[world.review.pk, plan.action_a.pk]),
        {"text": "Half the call handlers briefed.", "status": "on_track"},
    )
    assert response.status_code == 302
    assert plan.action_a.updates.count() == updates + 1
