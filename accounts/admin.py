"""Accounts in the admin: created and changed here (every save, and every password set, is
recorded in the audit trail with the fields changed), never deleted: deactivate an account
instead, so the trail keeps saying who did what."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest, HttpResponse

from accounts.models import User
from reviews.admin_audit import AuditedAdmin, admin_actor
from reviews.audit import audit_record


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Work", {"fields": ("job_title",)}))
    search_fields = ("username", "email", "first_name", "last_name")
    list_display = ("username", "email", "first_name", "last_name", "job_title", "is_active")

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the new password was saved
            user = self.get_object(request, unquote(id))
            assert user is not None  # its password was just changed
            audit_record(actor=admin_actor(request), action="admin.user.password_set", obj=user)
        return response
