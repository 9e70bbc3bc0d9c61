from django.contrib import admin
from django.urls import include, path

from applications.views.home import favicon

urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("applications.urls")),
]
