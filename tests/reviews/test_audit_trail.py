"""The audit trail records looks at sensitive records as well as changes, once per person and
record in a ten-minute window; board administrators and chairs filter it and export it as CSV;
and nothing in the application edits it."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from reports import document_services
from reviews.audit import audit_record
from reviews.models import AuditEntry
from tests.conftest import World
from tests.job_runs import run_job


def _views(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def test_looking_at_the_person_register_is_recorded_once_a_window(client: Client, world: World, monkeypatch):
    client.force_login(world.panel)
    url = reverse("reviews:person_list", args=[world.review.pk])
    client.get(url)
    client.get(url)
    entry = AuditEntry.objects.get(action="person_register.viewed")
    assert (entry.actor, entry.review, entry.object_repr) == (world.panel, world.review, "Person register")
    # The trail cannot be edited (on PostgreSQL a trigger refuses it): the clock moves instead.
    later = timezone.now() + datetime.timedelta(minutes=11)
    monkeypatch.setattr(timezone, "now", lambda: later)
    client.get(url)
    assert _views("person_register.viewed") == 2


def test_an_imr_authors_look_at_their_chronology_is_recorded_and_a_refused_look_is_not(client: Client, world: World):
    client.force_login(world.author_a)
    assert client.get(reverse("chronology:entries", args=[world.review.pk, world.imr_a.pk])).status_code == 200
    assert client.get(reverse("chronology:entries", args=[world.review.pk, world.imr_b.pk])).status_code == 404
    entry = AuditEntry.objects.get(action="imr.viewed")
    assert entry.object_id == str(world.imr_a.pk) and entry.actor == world.author_a


def test_reading_an_imr_and_a_document_is_recorded(client: Client, world: World):
    document = document_services.document_create(review=world.review, kind="overview", actor=world.chair)
    client.force_login(world.board_admin)
    client.get(reverse("reviews:imr_detail", args=[world.review.pk, world.imr_b.pk]))
    client.get(reverse("reports:document_preview", args=[world.review.pk, document.pk]), {"version": "publication"})
    assert AuditEntry.objects.get(action="imr.viewed").object_id == str(world.imr_b.pk)
    assert AuditEntry.objects.get(action="document.viewed").object_id == str(document.pk)
    assert AuditEntry.objects.get(action="document.preview_viewed").detail == {"version": "publication"}


def test_the_trail_filters_by_kind_person_action_and_date(client: Client, world: World):
    client.force_login(world.panel)
    client.get(reverse("reviews:person_list", args=[world.review.pk]))
    audit_record(actor=world.chair, action="review.updated", obj=world.review)
    client.force_login(world.chair)
    url = reverse("reviews:audit", args=[world.review.pk])
    views = client.get(url, {"kind": "views"}).content.decode()
    assert "person_register.viewed" in views and "review.updated" not in views
    changes = client.get(url, {"kind": "changes", "who": world.chair.display_name[:4]}).content.decode()
    assert "review.updated" in changes and "person_register.viewed" not in changes
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert "review.updated" not in client.get(url, {"from": tomorrow}).content.decode()
    assert "review.updated" in client.get(url, {"action": "review.", "to": tomorrow}).content.decode()


def test_a_board_administrator_exports_the_trail_as_csv_safe_for_spreadsheets(client: Client, world: World):
    audit_record(actor=world.chair, action="review.updated", obj=world.review, object_repr="=cmd|' /C calc'!A0")
    client.force_login(world.board_admin)
    response = client.get(
        reverse("reviews:partnership_audit", args=[world.review.partnership_id]), {"export": "csv", "kind": "changes"}
    )
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    body = response.content.decode("utf-8-sig")
    header, *rows = body.strip().splitlines()
    assert header == "When,Who,Action,Object type,Object id,What,Review,Detail"
    assert any("review.updated" in row and "'=cmd|" in row and world.review.reference in row for row in rows)
    exported = AuditEntry.objects.get(action="audit.exported")
    assert exported.actor == world.board_admin and "kind=changes" in exported.detail["query"]


def test_nobody_can_change_or_delete_the_trail_in_the_admin(world: World):
    entry = audit_record(actor=world.chair, action="review.updated", obj=world.review)
    model_admin = admin.site._registry[AuditEntry]
    request = RequestFactory().get("/")
    world.chair.is_superuser = world.chair.is_staff = True
    request.user = world.chair
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_reading_the_integrated_chronology_is_recorded_with_its_version(client: Client, world: World):
    from chronology.integrated import services as integrated_services

    queued = integrated_services.integrated_request(actor=world.chair, review=world.review, include_submitted=True)
    built = run_job(queued)  # the task's work, done here
    client.force_login(world.panel)
    assert client.get(reverse("chronology:integrated", args=[world.review.pk])).status_code == 200
    assert AuditEntry.objects.get(action="integrated_chronology.viewed").actor == world.panel
    entry = AuditEntry.objects.get(action="integrated_chronology.version_viewed")
    assert entry.actor == world.panel and entry.detail == {"version": built.version}


def test_the_audit_filters_take_any_text_without_failing(client: Client, world: World):
    client.force_login(world.chair)
    url = reverse("reviews:audit", args=[world.review.pk])
    for params in ({"who": "\x00"}, {"action": "a\x00b"}, {"from": "yesterday", "to": "2026-13-45"}, {"page": "x"}):
        assert client.get(url, params).status_code == 200
