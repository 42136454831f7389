from django.urls import path

from reviews import family_views

urlpatterns = [
    path("reviews/<int:pk>/family/", family_views.family_log, name="family_log"),
    path("reviews/<int:pk>/family/contacts/new/", family_views.family_contact_create, name="family_contact_create"),
    path(
        "reviews/<int:pk>/family/contacts/<int:contact_pk>/edit/",
        family_views.family_contact_edit,
        name="family_contact_edit",
    ),
    path(
        "reviews/<int:pk>/family/contacts/<int:contact_pk>/delete/",
        family_views.family_contact_delete,
        name="family_contact_delete",
    ),
    path("reviews/<int:pk>/family/offers/new/", family_views.family_offer_create, name="family_offer_create"),
    path(
        "reviews/<int:pk>/family/offers/<int:offer_pk>/edit/", family_views.family_offer_edit, name="family_offer_edit"
    ),
    path(
        "reviews/<int:pk>/family/offers/<int:offer_pk>/delete/",
        family_views.family_offer_delete,
        name="family_offer_delete",
    ),
    path("reviews/<int:pk>/family/pseudonym/", family_views.family_pseudonym, name="family_pseudonym"),
]
