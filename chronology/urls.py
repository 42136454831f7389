from django.urls import path

from chronology import views
from chronology.exports import views as export_views
from chronology.integrated import views as integrated_views

app_name = "chronology"

IMR = "reviews/<int:pk>/imrs/<int:imr_pk>/chronology/"
REVIEW = "reviews/<int:pk>/integrated/"

urlpatterns = [
    path(IMR, views.entries, name="entries"),
    path(f"{IMR}new/", views.entry_create, name="entry_create"),
    path(f"{IMR}<int:entry_pk>/", views.entry_row, name="entry_row"),
    path(f"{IMR}<int:entry_pk>/edit/", views.entry_edit, name="entry_edit"),
    path(f"{IMR}<int:entry_pk>/delete/", views.entry_delete, name="entry_delete"),
    path(f"{IMR}<int:entry_pk>/move/", views.entry_move, name="entry_move"),
    path(f"{IMR}download.<str:fmt>", views.chronology_download, name="download"),
    path(f"{IMR}upload/", views.upload, name="upload"),
    path(f"{IMR}upload/<int:upload_pk>/", views.upload_preview, name="upload_preview"),
    path(f"{IMR}upload/<int:upload_pk>/status/", views.upload_status, name="upload_status"),
    path("chronology/template.<str:fmt>", views.template_download, name="template"),
    path(f"{REVIEW}", integrated_views.integrated_view, name="integrated"),
    path(f"{REVIEW}build/", integrated_views.build_request, name="build"),
    path(f"{REVIEW}builds/<int:build_pk>/", integrated_views.build_status, name="build_status"),
    path(f"{REVIEW}builds/<int:build_pk>/retry/", integrated_views.build_retry, name="build_retry"),
    path(f"{REVIEW}links/", integrated_views.links, name="links"),
    path(f"{REVIEW}links/<int:link_pk>/decide/", integrated_views.link_decide, name="link_decide"),
    path(f"{REVIEW}episodes/", integrated_views.episodes, name="episodes"),
    path(f"{REVIEW}episodes/<int:episode_pk>/delete/", integrated_views.episode_delete, name="episode_delete"),
    path(f"{REVIEW}compare/", integrated_views.compare, name="compare"),
    path(f"{REVIEW}v<int:version>/export/", export_views.export_request, name="export"),
    path(f"{REVIEW}exports/<int:export_pk>/", export_views.export_download, name="export_download"),
    path(f"{REVIEW}exports/<int:export_pk>/retry/", export_views.export_retry, name="export_retry"),
    path(f"{REVIEW}exports/<int:export_pk>/status/", export_views.export_status, name="export_status"),
    path(f"{REVIEW}exports/<int:export_pk>/cancel/", export_views.export_cancel, name="export_cancel"),
    path(f"{REVIEW}v<int:version>/timeline.svg", integrated_views.timeline, name="timeline"),
    path(f"{REVIEW}v<int:version>/publication/", integrated_views.publication_check, name="publication_check"),
    path(
        f"{REVIEW}v<int:version>/publication/decide/", integrated_views.publication_decide, name="publication_decide"
    ),  # fmt: skip
    path(
        f"{REVIEW}v<int:version>/publication/decisions/<int:decision_pk>/withdraw/",
        integrated_views.publication_decision_withdraw,
        name="publication_decision_withdraw",
    ),
]
