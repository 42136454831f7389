from django.urls import path, re_path

from actions.views import action, board, clocks, my_actions, plan, reminders

app_name = "actions"

urlpatterns = [
    path("reviews/<int:pk>/action-plan/", plan.action_plan, name="plan"),
    re_path(r"^reviews/(?P<pk>[0-9]+)/action-plan/export\.(?P<fmt>xlsx|pdf)$", plan.action_plan_export, name="export"),
    path("reviews/<int:pk>/action-plan/recommendations/new/", plan.recommendation_create, name="recommendation_create"),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/edit/",
        plan.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/delete/",
        plan.recommendation_delete,
        name="recommendation_delete",
    ),
    path(
        "reviews/<int:pk>/action-plan/recommendations/<int:recommendation_pk>/actions/new/",
        plan.action_create,
        name="action_create",
    ),
    path("reviews/<int:pk>/actions/<int:action_pk>/", action.action_detail, name="action_detail"),
    path("reviews/<int:pk>/actions/<int:action_pk>/edit/", action.action_edit, name="action_edit"),
    path("reviews/<int:pk>/actions/<int:action_pk>/progress/", action.action_progress, name="action_progress"),
    path("reviews/<int:pk>/actions/<int:action_pk>/assure/", action.action_assure, name="action_assure"),
    path("reviews/<int:pk>/actions/<int:action_pk>/milestones/", action.milestone_add, name="milestone_add"),
    path(
        "reviews/<int:pk>/actions/<int:action_pk>/milestones/<int:milestone_pk>/done/",
        action.milestone_done,
        name="milestone_done",
    ),
    path(
        "reviews/<int:pk>/actions/<int:action_pk>/evidence/<int:evidence_pk>/",
        action.evidence_download,
        name="evidence_download",
    ),
    path("reviews/<int:pk>/clocks/", clocks.review_clocks, name="clocks"),
    path("reviews/<int:pk>/clocks/met/", clocks.clock_met, name="clock_met"),
    path("partnerships/<int:partnership_pk>/dashboard/", board.dashboard, name="dashboard"),
    path("partnerships/<int:partnership_pk>/action-plans/exports/", board.board_export, name="board_export"),
    path(
        "partnerships/<int:partnership_pk>/action-plans/exports/<int:export_pk>/",
        board.board_export_status,
        name="board_export_status",
    ),
    path(
        "partnerships/<int:partnership_pk>/action-plans/exports/<int:export_pk>/download/",
        board.board_export_download,
        name="board_export_download",
    ),
    path("partnerships/<int:partnership_pk>/themes/", board.themes, name="themes"),
    path("my-actions/", my_actions.my_actions, name="my_actions"),
    path("partnerships/<int:partnership_pk>/reminder-hour/", reminders.reminder_hour, name="reminder_hour"),
]
