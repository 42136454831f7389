from django.urls import include, path

from reviews import imr_narrative_views, imr_views, scoping_views, views

app_name = "reviews"

urlpatterns = [
    path("reviews/new/", views.review_create, name="create"),
    path("reviews/<int:pk>/", views.review_detail, name="detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="edit"),
    path("reviews/<int:pk>/people/", views.person_list, name="person_list"),
    path("reviews/<int:pk>/people/new/", views.person_create, name="person_create"),
    path("reviews/<int:pk>/people/<int:person_pk>/edit/", views.person_edit, name="person_edit"),
    path("reviews/<int:pk>/people/<int:person_pk>/delete/", views.person_delete, name="person_delete"),
    path("reviews/<int:pk>/members/", views.membership_list, name="membership_list"),
    path("reviews/<int:pk>/members/<int:membership_pk>/delete/", views.membership_delete, name="membership_delete"),
    path(
        "reviews/<int:pk>/members/<int:membership_pk>/panel-role/",
        views.membership_panel_role,
        name="membership_panel_role",
    ),
    path("reviews/<int:pk>/imrs/new/", views.imr_request, name="imr_request"),
    path("reviews/<int:pk>/imrs/<int:imr_pk>/", imr_views.imr_detail, name="imr_detail"),
    path("reviews/<int:pk>/imrs/<int:imr_pk>/narrative/", imr_narrative_views.imr_narrative, name="imr_narrative"),
    path(
        "reviews/<int:pk>/imrs/<int:imr_pk>/narrative/<int:line_pk>/",
        imr_narrative_views.imr_answer_save,
        name="imr_answer_save",
    ),
    path(
        "reviews/<int:pk>/imrs/<int:imr_pk>/narrative/<int:line_pk>/history/",
        imr_narrative_views.imr_answer_history,
        name="imr_answer_history",
    ),
    path("reviews/<int:pk>/key-lines/", imr_narrative_views.key_lines_address, name="key_lines_address"),
    path("reviews/<int:pk>/imrs/<int:imr_pk>/submit/", imr_views.imr_submit, name="imr_submit"),
    path("reviews/<int:pk>/imrs/<int:imr_pk>/nil-return/", imr_views.imr_nil_return, name="imr_nil_return"),
    path("reviews/<int:pk>/imrs/<int:imr_pk>/return/", imr_views.imr_return, name="imr_return"),
    path("reviews/<int:pk>/imrs/<int:imr_pk>/accept/", imr_views.imr_accept, name="imr_accept"),
    path(
        "reviews/<int:pk>/imrs/<int:imr_pk>/questions/<int:clarification_pk>/answer/",
        imr_views.clarification_respond,
        name="clarification_respond",
    ),
    path("reviews/<int:pk>/imrs/<int:imr_pk>/edit/", views.imr_edit, name="imr_edit"),
    path("reviews/<int:pk>/audit/", views.review_audit, name="audit"),
    path("reviews/<int:pk>/archive/", views.review_archive, name="archive"),
    path("reviews/<int:pk>/unarchive/", views.review_unarchive, name="unarchive"),
    path("reviews/<int:pk>/purge/", views.review_purge, name="purge"),
    path("reviews/<int:pk>/scoping/", scoping_views.scoping, name="scoping"),
    path(
        "reviews/<int:pk>/scoping/information/", scoping_views.scoping_information_add, name="scoping_information_add"
    ),
    path(
        "reviews/<int:pk>/scoping/information/<int:information_pk>/",
        scoping_views.scoping_information_edit,
        name="scoping_information_edit",
    ),
    path(
        "reviews/<int:pk>/scoping/information/<int:information_pk>/delete/",
        scoping_views.scoping_information_delete,
        name="scoping_information_delete",
    ),
    path("reviews/<int:pk>/scoping/decision/", scoping_views.scoping_decide, name="scoping_decide"),
    path("partnerships/<int:partnership_pk>/decisions/", scoping_views.partnership_decisions, name="decisions"),
    path("partnerships/<int:partnership_pk>/", views.partnership_detail, name="partnership_detail"),
    path("partnerships/<int:partnership_pk>/logo/", views.partnership_logo, name="partnership_logo"),
    path("partnerships/<int:partnership_pk>/audit/", views.partnership_audit, name="partnership_audit"),
    path("", include("reviews.family_urls")),
    path("", include("reviews.meeting_urls")),
]
