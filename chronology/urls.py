from django.urls import path

from chronology import views

app_name = "chronology"

IMR = "reviews/<int:pk>/imrs/<int:imr_pk>/chronology/"

urlpatterns = [
    path(IMR, views.entries, name="entries"),
    path(f"{IMR}new/", views.entry_create, name="entry_create"),
    path(f"{IMR}<int:entry_pk>/", views.entry_row, name="entry_row"),
    path(f"{IMR}<int:entry_pk>/edit/", views.entry_edit, name="entry_edit"),
    path(f"{IMR}<int:entry_pk>/delete/", views.entry_delete, name="entry_delete"),
    path(f"{IMR}<int:entry_pk>/move/", views.entry_move, name="entry_move"),
    path(f"{IMR}upload/", views.upload, name="upload"),
    path(f"{IMR}upload/<int:upload_pk>/", views.upload_preview, name="upload_preview"),
    path("chronology/template.<str:fmt>", views.template_download, name="template"),
]
