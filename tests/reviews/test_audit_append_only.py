"""On PostgreSQL the audit trail is append-only in the database itself: a trigger refuses any
UPDATE or DELETE of an audit entry, from the application or from a raw SQL session, except
inside the retention purge."""

from __future__ import annotations

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from reviews import retention
from reviews.audit import audit_record
from reviews.models import AuditEntry, Person
from tests.conftest import World

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger is installed on PostgreSQL only"
)

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)


def _entry(world: World) -> AuditEntry:
    return audit_record(actor=world.chair, action="person.changed", obj=world.person, detail={"name": "Susan Marsh"})


def test_an_audit_entry_cannot_be_changed(world: World):
    entry = _entry(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="person.viewed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE reviews_auditentry SET detail = '{}' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).detail == {"name": "Susan Marsh"}


def test_an_audit_entry_cannot_be_deleted(world: World):
    entry = _entry(world)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM reviews_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_an_account_with_audit_entries_cannot_be_deleted_only_deactivated(world: World):
    _entry(world)
    # Deleting the account would set the entries' actor to NULL: an UPDATE of the trail.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        world.chair.delete()
    world.chair.is_active = False
    world.chair.save(update_fields=["is_active"])
    assert AuditEntry.objects.filter(actor=world.chair, action="person.changed").exists()


def test_the_retention_purge_may_scrub_the_purged_reviews_entries_and_nothing_else(world: World):
    entry = _entry(world)
    retention.review_archive(actor=world.board_admin, review=world.review, retain_until=NEXT_YEAR)
    retention.review_purge(actor=world.board_admin, review=world.review, today=NEXT_YEAR + datetime.timedelta(days=1))
    assert AuditEntry.objects.get(pk=entry.pk).detail == {"purged": True}
    assert not Person.objects.filter(review=world.review).exists()
    assert AuditEntry.objects.filter(action="review.purged", review=world.review).exists()
    # The exception ended with the purge's own statement: the trail is append-only again.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="changed")
