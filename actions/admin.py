"""Read-only views of the action plan for the site administrator: every change to a
recommendation or action goes through the services (and the audit trail), not the admin."""

from django.contrib import admin
from django.db import models

from actions.models import Action, Recommendation, Theme
from reviews.admin_audit import CaseDataAdmin
from reviews.models import Review


@admin.register(Theme)
class ThemeAdmin(CaseDataAdmin):
    list_display = ("name", "partnership")
    list_filter = ("partnership",)


@admin.register(Recommendation)
class RecommendationAdmin(CaseDataAdmin):
    list_display = ("review", "number", "source", "scope", "theme")
    list_filter = ("review__partnership", "scope", "source")


@admin.register(Action)
class ActionAdmin(CaseDataAdmin):
    list_display = ("recommendation", "lead_agency", "target_date", "status")
    list_filter = ("status", "lead_agency__partnership")

    def review_of(self, obj: models.Model) -> Review | None:
        return obj.recommendation.review if isinstance(obj, Action) else None
