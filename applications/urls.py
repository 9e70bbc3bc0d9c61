from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("", views.home, name="home"),
    path("lookup/", views.lookup, name="lookup"),
    path("applications/<str:request_no>/", views.detail, name="detail"),
    path("applications/<str:request_no>/refresh/", views.refresh, name="refresh"),
    path("api/applications/<str:request_no>/", views.application_detail_api, name="api-detail"),
]
