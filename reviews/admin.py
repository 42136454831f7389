"""The site administrator's view of reviews: partnerships, agencies and board administrators
are set up here (each change recorded); a review's own data is read-only here, changed only in
the application (reviews.admin_audit)."""

from django.contrib import admin

from reviews.admin_audit import AuditedAdmin, AuditedInline, CaseDataAdmin, CaseDataInline
from reviews.models import (
    Agency,
    AuditEntry,
    Imr,
    KeyLineOfEnquiry,
    Partnership,
    PartnershipMembership,
    Person,
    Review,
    ReviewMembership,
)


class AgencyInline(AuditedInline):
    model = Agency


class PartnershipMembershipInline(AuditedInline):
    model = PartnershipMembership
    autocomplete_fields = ["user"]


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ("name", "kind", "created_at")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AgencyInline, PartnershipMembershipInline]


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "kind", "partnership")
    list_filter = ("partnership", "kind")
    search_fields = ("name",)


class KeyLineInline(CaseDataInline):
    model = KeyLineOfEnquiry


class MembershipInline(CaseDataInline):
    model = ReviewMembership


class ImrInline(CaseDataInline):
    model = Imr


@admin.register(Review)
class ReviewAdmin(CaseDataAdmin):
    list_display = ("reference", "case_name", "review_type", "stage", "partnership", "scope_start", "scope_end")
    list_filter = ("partnership", "review_type", "stage")
    search_fields = ("reference", "case_name")
    inlines = [KeyLineInline, MembershipInline, ImrInline]


@admin.register(ReviewMembership)
class ReviewMembershipAdmin(CaseDataAdmin):
    list_display = ("review", "user", "role", "agency")
    list_filter = ("role",)


@admin.register(PartnershipMembership)
class PartnershipMembershipAdmin(AuditedAdmin):
    list_display = ("partnership", "user", "role")
    autocomplete_fields = ["user"]


@admin.register(Person)
class PersonAdmin(CaseDataAdmin):
    list_display = ("designation", "relationship", "review")
    list_filter = ("review",)
    search_fields = ("designation",)


@admin.register(Imr)
class ImrAdmin(CaseDataAdmin):
    list_display = ("review", "agency", "status", "due_date", "author")
    list_filter = ("status",)


@admin.register(AuditEntry)
class AuditEntryAdmin(CaseDataAdmin):
    """The audit trail: never changed, from the admin or anywhere (append-only on PostgreSQL)."""

    list_display = ("created_at", "actor_name", "action", "object_type", "object_repr", "review")
    list_filter = ("action",)
    search_fields = ("actor_name", "action", "object_repr")
