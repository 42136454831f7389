"""The Django admin and the audit trail.

Case data (reviews, people, IMRs, chronologies, documents, actions and the trail itself) is
changed only through the application's services, which check access and record every change:
in the admin it can be looked at (``CaseDataAdmin``), never added, changed or deleted, and each
look at one record is recorded like a look in the application. The set-up the admin does keep
(accounts, partnerships, agencies, board administrators) is recorded on every save
(``AuditedAdmin``); nothing is deleted there either: an account is deactivated, and the trail
keeps pointing at it (on PostgreSQL the append-only trail refuses the deletion anyway)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db import models
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse

from accounts.models import User
from reviews.audit import audit_record, audit_view
from reviews.models import Review


class CaseDataAdmin(admin.ModelAdmin):
    """Look, do not touch: no add, change or delete, and opening a record is recorded."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def review_of(self, obj: models.Model) -> Review | None:
        """The review the record belongs to, so the look shows on that review's audit page."""
        return obj if isinstance(obj, Review) else getattr(obj, "review", None)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id)) if response.status_code == 200 else None
        if obj is not None:
            audit_view(actor=admin_actor(request), action="admin.viewed", obj=obj, review=self.review_of(obj))
        return response


class CaseDataInline(admin.TabularInline):
    """An inline of case data under a read-only record: shown, never edited."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Set-up kept in the admin: every addition and change (inlines too) is recorded with the
    fields changed; nothing is deleted."""

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _record(request, obj, "changed" if change else "added", form.changed_data)

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            _record(request, obj, "added", [])
        for obj, fields in formset.changed_objects:
            _record(request, obj, "changed", fields)


class AuditedInline(admin.TabularInline):
    """An inline of set-up under an ``AuditedAdmin``: its rows may be added and changed (and
    are recorded by the parent), not deleted."""

    extra = 0
    can_delete = False


def admin_actor(request: HttpRequest) -> User:
    """Who is using the admin site: it lets in signed-in staff only."""
    return cast(User, request.user)


def _record(request: HttpRequest, obj: models.Model, change: str, fields: list[str]) -> None:
    # Which fields changed, never their values: a password hash or a name has no place in the trail.
    audit_record(
        actor=admin_actor(request),
        action=f"admin.{obj._meta.model_name}.{change}",
        obj=obj,
        detail={"fields": sorted(fields)} if fields else {},
    )
