from django.urls import path, re_path

from actions import views

app_name = "actions"

urlpatterns = [
    path("reviews/<int:pk>/action-plan/", views.action_plan, name="plan"),
    re_path(r"^reviews/(?P<pk>[0-9]+)/action-plan/export\.(?P<fmt>xlsx|pdf)$", views.action_plan_export, name="export"),
    path(
        "reviews/<int:pk>/action-plan/recommendations/new/", views.recommendation_create, name="recommendation_create"
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/edit/",
        views.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/delete/",
        views.recommendation_delete,
        name="recommendation_delete",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/actions/new/",
        views.action_create,
        name="action_create",
    ),
    path("reviews/<int:pk>/actions/<int:action_pk>/", views.action_detail, name="action_detail"),
    path("reviews/<int:pk>/actions/<int:action_pk>/edit/", views.action_edit, name="action_edit"),
    path("reviews/<int:pk>/actions/<int:action_pk>/progress/", views.action_progress, name="action_progress"),
    path("reviews/<int:pk>/actions/<int:action_pk>/assure/", views.action_assure, name="action_assure"),
    path("reviews/<int:pk>/actions/<int:action_pk>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "reviews/<int:pk>/actions/<int:action_pk>/milestones/<int:milestone_pk>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path(
        "reviews/<int:pk>/actions/<int:action_pk>/evidence/<int:evidence_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path("reviews/<int:pk>/clocks/", views.review_clocks, name="clocks"),
    path("reviews/<int:pk>/clocks/met/", views.clock_met, name="clock_met"),
    path("partnerships/<int:partnership_pk>/dashboard/", views.dashboard, name="dashboard"),
    path("partnerships/<int:partnership_pk>/action-plans/exports/", views.board_export, name="board_export"),
    path(
        "partnerships/<int:partnership_pk>/action-plans/exports/<int:export_pk>/",
        views.board_export_status,
        name="board_export_status",
    ),
    path(
        "partnerships/<int:partnership_pk>/action-plans/exports/<int:export_pk>/download/",
        views.board_export_download,
        name="board_export_download",
    ),
    path("partnerships/<int:partnership_pk>/themes/", views.themes, name="themes"),
    path("my-actions/", views.my_actions, name="my_actions"),
]
