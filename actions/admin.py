"""Read-only views of the action plan for the site administrator: every change to a
recommendation or action goes through the services (and the audit trail), not the admin."""

from django.contrib import admin

from actions.models import Action, Recommendation, Theme


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdmin):
    list_display = ("name", "partnership")
    list_filter = ("partnership",)


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ("review", "number", "source", "scope", "theme")
    list_filter = ("review__partnership", "scope", "source")


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ("recommendation", "lead_agency", "target_date", "status")
    list_filter = ("status", "lead_agency__partnership")
