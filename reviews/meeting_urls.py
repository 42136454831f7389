"""The panel meetings' pages, under a review (included by reviews.urls)."""

from django.urls import path

from reviews import meeting_views

MEETING = "reviews/<int:pk>/meetings/<int:meeting_pk>/"

urlpatterns = [
    path("reviews/<int:pk>/meetings/", meeting_views.meeting_list, name="meeting_list"),
    path("reviews/<int:pk>/meetings/new/", meeting_views.meeting_create, name="meeting_create"),
    path(MEETING, meeting_views.meeting_detail, name="meeting_detail"),
    path(MEETING + "edit/", meeting_views.meeting_edit, name="meeting_edit"),
    path(MEETING + "attendance/", meeting_views.meeting_attendance, name="meeting_attendance"),
    path(MEETING + "minutes/", meeting_views.meeting_minutes, name="meeting_minutes"),
    path(MEETING + "approve-previous-minutes/", meeting_views.meeting_minutes_approve, name="meeting_minutes_approve"),
    path(MEETING + "papers/", meeting_views.meeting_papers, name="meeting_papers"),
    path(MEETING + "papers/<int:paper_pk>/remove/", meeting_views.meeting_paper_remove, name="meeting_paper_remove"),
    path(MEETING + "actions/new/", meeting_views.action_arising_create, name="action_arising_create"),
    path(MEETING + "actions/<int:action_pk>/done/", meeting_views.action_arising_done, name="action_arising_done"),
]
