from django.contrib import admin

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


class AgencyInline(admin.TabularInline):
    model = Agency
    extra = 0


class PartnershipMembershipInline(admin.TabularInline):
    model = PartnershipMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "created_at")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AgencyInline, PartnershipMembershipInline]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "partnership")
    list_filter = ("partnership", "kind")
    search_fields = ("name",)


class KeyLineInline(admin.TabularInline):
    model = KeyLineOfEnquiry
    extra = 0


class MembershipInline(admin.TabularInline):
    model = ReviewMembership
    extra = 0
    autocomplete_fields = ["user"]


class ImrInline(admin.TabularInline):
    model = Imr
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("reference", "case_name", "review_type", "stage", "partnership", "scope_start", "scope_end")
    list_filter = ("partnership", "review_type", "stage")
    search_fields = ("reference", "case_name")
    inlines = [KeyLineInline, MembershipInline, ImrInline]


@admin.register(ReviewMembership)
class ReviewMembershipAdmin(admin.ModelAdmin):
    list_display = ("review", "user", "role", "agency")
    list_filter = ("role",)
    autocomplete_fields = ["user"]


@admin.register(PartnershipMembership)
class PartnershipMembershipAdmin(admin.ModelAdmin):
    list_display = ("partnership", "user", "role")
    autocomplete_fields = ["user"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("designation", "relationship", "review")
    list_filter = ("review",)
    search_fields = ("designation",)


@admin.register(Imr)
class ImrAdmin(admin.ModelAdmin):
    list_display = ("review", "agency", "status", "due_date", "author")
    list_filter = ("status",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail cannot be changed from the application."""

    list_display = ("created_at", "actor_name", "action", "object_type", "object_repr", "review")
    list_filter = ("action",)
    search_fields = ("actor_name", "action", "object_repr")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
