"""The Django admin cannot go around the audit trail: case data is read-only there and each
record opened is recorded; accounts and the board set-up kept there are recorded on every
save, and nothing is deleted."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from accounts.models import User
from reviews.admin_audit import AuditedAdmin, CaseDataAdmin
from reviews.models import AuditEntry, Imr, Person, Review
from tests.conftest import World

OUR_APPS = {"accounts", "reviews", "chronology", "reports", "actions"}


@pytest.fixture
def site_admin(world: World) -> User:
    user = world.outsider
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def _admin_url(obj, view: str) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def test_every_model_of_ours_in_the_admin_is_read_only_or_audited():
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in OUR_APPS:
            assert isinstance(model_admin, CaseDataAdmin | AuditedAdmin), model._meta.label


def test_case_data_cannot_be_added_changed_or_deleted_in_the_admin(client: Client, world: World, site_admin: User):
    client.force_login(site_admin)
    for model in (Review, Person, Imr, AuditEntry):
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, CaseDataAdmin), model._meta.label
    assert client.get(reverse("admin:reviews_person_add")).status_code == 403
    response = client.post(
        _admin_url(world.person, "change"), {"real_name": "Someone Else", "designation": "X", "review": world.review.pk}
    )
    assert response.status_code == 403
    assert client.post(_admin_url(world.person, "delete"), {"post": "yes"}).status_code == 403
    world.person.refresh_from_db()
    assert world.person.real_name == "Susan Marsh"


def test_opening_a_case_record_in_the_admin_is_recorded_on_its_review(client: Client, world: World, site_admin):
    client.force_login(site_admin)
    response = client.get(_admin_url(world.person, "change"))
    assert response.status_code == 200 and "Susan Marsh" in response.content.decode()
    entry = AuditEntry.objects.get(action="admin.viewed", actor=site_admin)
    assert (entry.object_type, entry.object_id, entry.review) == ("reviews.person", str(world.person.pk), world.review)
    client.get(_admin_url(world.imr_a, "change"))
    assert AuditEntry.objects.filter(action="admin.viewed", object_type="reviews.imr", review=world.review).exists()


def test_an_account_changed_in_the_admin_is_recorded_without_its_values(client: Client, world: World, site_admin):
    client.force_login(site_admin)
    target = world.panel
    page = client.get(_admin_url(target, "change"))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(
        {"is_active": "", "job_title": "Retired", "date_joined_0": "2026-01-01", "date_joined_1": "09:00:00"},
        groups=[], user_permissions=[],
    )  # fmt: skip
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(_admin_url(target, "change"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    target.refresh_from_db()
    assert not target.is_active and target.job_title == "Retired"
    entry = AuditEntry.objects.get(action="admin.user.changed")
    assert entry.actor == site_admin and entry.object_id == str(target.pk)
    assert {"is_active", "job_title"} <= set(entry.detail["fields"]) and "Retired" not in str(entry.detail)


def test_a_password_set_in_the_admin_is_recorded(client: Client, world: World, site_admin: User):
    client.force_login(site_admin)
    url = reverse("admin:auth_user_password_change", args=[world.panel.pk])
    response = client.post(
        url, {"password1": "a new long passphrase", "password2": "a new long passphrase", "usable_password": "true"}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="admin.user.password_set").object_id == str(world.panel.pk)


def test_nothing_is_deleted_in_the_admin_not_even_an_account(client: Client, world: World, site_admin: User):
    client.force_login(site_admin)
    assert client.post(_admin_url(world.panel, "delete"), {"post": "yes"}).status_code == 403
    assert client.post(_admin_url(world.review.partnership, "delete"), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=world.panel.pk).exists()
