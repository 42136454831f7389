import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews import notifications, review_services, services
from reviews.models import AuditEntry, Imr, Notification, Person, Review, ReviewMembership
from reviews.tasks import notification_send
from tests.factories import AgencyFactory, PartnershipFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db


def _create(partnership, **overrides):
    fields = {
        "actor": None,
        "partnership": partnership,
        "reference": "BDHR2012/13-04",
        "review_type": "dhr",
        "case_name": "Adult A",
        "scope_start": datetime.date(2008, 4, 1),
        "scope_end": datetime.date(2012, 8, 6),
        "key_lines": ["What did the agency know?", "  ", "What did it do?"],
    }
    return review_services.review_create(**{**fields, **overrides})


def test_review_create_writes_the_review_its_key_lines_and_an_audit_entry():
    partnership = PartnershipFactory()
    actor = UserFactory()
    review = _create(partnership, actor=actor)
    assert list(review.key_lines.values_list("position", "text")) == [
        (1, "What did the agency know?"),
        (2, "What did it do?"),
    ]
    entry = AuditEntry.objects.get(action="review.created")
    assert (entry.actor, entry.review, entry.partnership) == (actor, review, partnership)
    assert entry.detail == {"reference": "BDHR2012/13-04", "type": "dhr"}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"review_type": "inquest"}, "review_type", '"inquest" is not a review type'),
        ({"scope_end": datetime.date(2007, 1, 1)}, "scope_end", "ends (01/01/2007) before it starts (01/04/2008)"),
        ({"case_name": "  "}, "case_name", "needs a case name"),
        ({"stage": "finished"}, "stage", "not a review stage"),
        (
            {"notification_date": datetime.date(2012, 9, 1), "decision_date": datetime.date(2012, 8, 1)},
            "decision_date",
            "cannot come before the notification",
        ),
    ],
)
def test_review_create_rejects_bad_input_and_writes_nothing(overrides, field, message):
    partnership = PartnershipFactory()
    with pytest.raises(ValidationError) as excinfo:
        _create(partnership, **overrides)
    assert message in " ".join(excinfo.value.message_dict[field])
    assert not Review.objects.exists()
    assert not AuditEntry.objects.exists()


def test_review_reference_is_unique_within_a_partnership_ignoring_case_but_not_across_partnerships():
    partnership = PartnershipFactory()
    _create(partnership)
    with pytest.raises(ValidationError, match="already has a review"):
        _create(partnership, reference="bdhr2012/13-04")
    assert _create(PartnershipFactory()).reference == "BDHR2012/13-04"
    assert Review.objects.count() == 2


def test_the_database_refuses_a_review_period_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewFactory(scope_start=datetime.date(2020, 1, 2), scope_end=datetime.date(2020, 1, 1))


def test_review_update_audits_what_changed_and_nothing_when_nothing_did():
    review = _create(PartnershipFactory())
    actor = UserFactory()
    review_services.review_update(actor=actor, review=review, stage="drafting", case_name="Adult A")
    entry = AuditEntry.objects.get(action="review.updated")
    assert entry.detail == {"stage": ["scoping", "drafting"]}
    review_services.review_update(actor=actor, review=review, stage="drafting")
    assert AuditEntry.objects.filter(action="review.updated").count() == 1


def test_person_add_keeps_real_names_out_of_the_audit_trail(world):
    person = services.person_add(
        actor=world.chair,
        review=world.review,
        real_name="  Jade   Louise Marsh ",
        designation="the victim",
        aliases=["Jadey", "jadey", " ", "Jade Marsh"],
        relationship="victim",
    )
    assert person.real_name == "Jade Louise Marsh"
    assert person.aliases == ["Jadey", "Jade Marsh"]
    entry = AuditEntry.objects.get(action="person.added")
    assert entry.object_repr == "the victim"
    assert "Marsh" not in str(entry.detail) and "Jade" not in entry.object_repr


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"real_name": "susan marsh", "designation": "Mrs X"}, "real_name", "already in this review's person register"),
        ({"real_name": "Paul Marsh", "designation": "The Victim's Mother"}, "designation", "already designated"),
        ({"real_name": "Paul Marsh", "designation": "Paul Marsh"}, "designation", "must not be the person's real name"),
        ({"real_name": "Paul Marsh", "designation": "Pauly", "aliases": ["Pauly"]}, "designation", "or an alias"),
        ({"real_name": "Paul Marsh", "designation": "P", "relationship": "cousin"}, "relationship", '"cousin"'),
        (
            {"real_name": "Paul Marsh", "designation": "P", "date_of_birth": datetime.date(2999, 1, 1)},
            "date_of_birth",
            "in the future",
        ),
    ],
)
def test_person_add_rejects_bad_input_and_writes_nothing(world, fields, field, message):
    before = Person.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        services.person_add(actor=world.chair, review=world.review, **fields)
    assert message in " ".join(excinfo.value.message_dict[field])
    assert Person.objects.count() == before
    assert not AuditEntry.objects.filter(action="person.added").exists()


def test_membership_add_emails_the_new_member_once_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.membership_add(
            actor=world.chair, review=world.review, user=world.outsider, role=ReviewMembership.Role.PANEL
        )
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.outsider.email]
    assert "NDHR-01" in mail.outbox[0].subject
    # The case name stays behind sign-in.
    assert "Adult A" not in mail.outbox[0].body
    notification = Notification.objects.get(recipient=world.outsider)
    assert notification.sent_at is not None and notification.claimed_at is not None
    # Run twice (a redelivered message): still one email.
    assert notification_send.delay(notification.pk).get() is False
    assert len(mail.outbox) == 1


def test_an_email_whose_send_fails_is_kept_and_sent_by_the_sweeper_later(world, monkeypatch):
    services.membership_add(actor=world.chair, review=world.review, user=world.outsider, role="panel")
    notification = Notification.objects.get(recipient=world.outsider)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    with pytest.raises(OSError):
        notification_send.apply(args=[notification.pk], throw=True)
    notification.refresh_from_db()
    assert notification.sent_at is None and notification.claimed_at is None and notification.failed_attempts == 1
    assert "mail server down" in notification.last_error and not mail.outbox
    assert notification.retry_after > timezone.now()
    monkeypatch.undo()
    assert notifications.notifications_sweep() == 0  # it waits out its pause
    assert notification_send.apply(args=[notification.pk]).get() is False  # a redelivery too
    # The pause is over and the relay is back: the sweeper hands it over again, and it is sent once.
    Notification.objects.filter(pk=notification.pk).update(retry_after=timezone.now())
    assert notifications.notifications_sweep() == 1
    assert notifications.notifications_sweep() == 0
    notification.refresh_from_db()
    assert notification.sent_at is not None and len(mail.outbox) == 1


def test_an_email_claimed_by_a_worker_that_died_is_sent_after_the_lease(world):
    services.membership_add(actor=world.chair, review=world.review, user=world.outsider, role="panel")
    notification = Notification.objects.get(recipient=world.outsider)
    Notification.objects.filter(pk=notification.pk).update(claimed_at=timezone.now(), dispatched_at=timezone.now())
    assert notifications.notifications_sweep() == 0  # being sent: left alone
    died = timezone.now() - notifications.SEND_LEASE - datetime.timedelta(seconds=1)
    Notification.objects.filter(pk=notification.pk).update(claimed_at=died, dispatched_at=died)
    assert notifications.notifications_sweep() == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None and len(mail.outbox) == 1


def test_an_email_that_keeps_failing_waits_longer_each_time_and_is_given_up(world, monkeypatch, caplog):
    services.membership_add(actor=world.chair, review=world.review, user=world.outsider, role="panel")
    notification = Notification.objects.get(recipient=world.outsider)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("550 no such mailbox")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    pauses = []
    for _ in range(notifications.MAX_SEND_ATTEMPTS):
        Notification.objects.filter(pk=notification.pk).update(retry_after=None)
        with pytest.raises(OSError):
            notifications.notification_send(notification.pk)
        notification.refresh_from_db()
        pauses.append(notification.retry_after - timezone.now())
    assert pauses[1] > pauses[0] * 1.5 and max(pauses) <= notifications.RETRY_PAUSE_MAX
    assert "given up after 15 failed sends" in caplog.text
    Notification.objects.filter(pk=notification.pk).update(retry_after=None)
    assert notifications.notifications_sweep() == 0  # given up: no longer handed over
    assert notifications.notification_send(notification.pk) is False
    assert notification.sent_at is None and "550 no such mailbox" in notification.last_error


def test_an_email_subject_is_one_line_whatever_the_name_held():
    assert notifications.email_subject("line one\r\nBcc: x@example.org") == "line one Bcc: x@example.org"


@pytest.mark.parametrize(
    ("role", "agency", "message"),
    [
        ("imr_author", None, "act for an agency"),
        ("panel", "own", "do not act for an agency"),
        ("imr_author", "foreign", "not in this partnership's directory"),
        ("chair", None, "already holds that role"),
        ("coroner", None, '"coroner" is not a review role'),
    ],
)
def test_membership_add_rejects_invalid_roles(world, role, agency, message):
    agency_obj = {"own": world.agency_a, "foreign": AgencyFactory(), None: None}[agency]
    user = world.chair if message.startswith("already") else world.outsider
    before = ReviewMembership.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.membership_add(actor=world.chair, review=world.review, user=user, role=role, agency=agency_obj)
    assert ReviewMembership.objects.count() == before


def test_the_database_refuses_an_imr_author_without_an_agency(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewMembership.objects.create(review=world.review, user=world.outsider, role="imr_author")


def test_removing_the_last_chair_is_refused_when_the_board_has_no_administrator(world):
    world.review.partnership.memberships.all().delete()
    chair = world.review.memberships.get(role="chair")
    with pytest.raises(ValidationError, match="must keep a chair"):
        services.membership_remove(actor=world.chair, membership=chair)
    assert ReviewMembership.objects.filter(pk=chair.pk).exists()


def test_removing_an_imr_author_unassigns_their_imr(world):
    membership = world.review.memberships.get(user=world.author_a)
    services.membership_remove(actor=world.chair, membership=membership)
    world.imr_a.refresh_from_db()
    assert world.imr_a.author is None
    assert AuditEntry.objects.filter(action="membership.removed", review=world.review).count() == 1


def test_imr_request_refuses_a_second_request_and_another_partnerships_agency(world):
    with pytest.raises(ValidationError, match="already been requested"):
        services.imr_request(actor=world.chair, review=world.review, agency=world.agency_a, due_date=None)
    with pytest.raises(ValidationError, match="not in this partnership's directory"):
        services.imr_request(actor=world.chair, review=world.review, agency=AgencyFactory(), due_date=None)
    assert Imr.objects.filter(review=world.review).count() == 2


def test_imr_author_must_be_an_imr_author_for_that_agency(world):
    with pytest.raises(ValidationError, match="is not an IMR author for Northshire Police"):
        services.imr_update(
            actor=world.chair, imr=world.imr_a, due_date=None, author=world.author_b, signing_off_manager=""
        )
    world.imr_a.refresh_from_db()
    assert world.imr_a.author == world.author_a


def test_imr_is_overdue_only_while_waiting_on_the_agency(world):
    imr = world.imr_a
    imr.due_date = datetime.date(2000, 1, 1)
    assert imr.is_overdue
    imr.status = Imr.Status.SUBMITTED
    assert not imr.is_overdue
    imr.status, imr.due_date = Imr.Status.RETURNED, datetime.date(2999, 1, 1)
    assert not imr.is_overdue
