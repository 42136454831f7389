from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from reviews import views as review_views

admin.site.site_header = "casereview administration"

urlpatterns = [
    path("", review_views.home, name="home"),
    path("accessibility/", account_views.accessibility_statement, name="accessibility"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("reviews.urls")),
    path("", include("chronology.urls")),
    path("", include("reports.urls")),
    path("", include("actions.urls")),
]
