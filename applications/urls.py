from django.urls import path

from . import views
from .views import bulk as bulk_views
from .views import notifications as notify_views
from .views import queue as queue_views
from .views import review as review_views

app_name = "applications"
urlpatterns = [
    path("", views.home, name="home"),
    path("lookup/", views.lookup, name="lookup"),
    path("applications/<str:request_no>/", views.detail, name="detail"),
    path("applications/<str:request_no>/refresh/", views.refresh, name="refresh"),
    path("applications/<str:request_no>/refresh-background/", views.refresh_background,
         name="refresh-background"),
    path("refresh/", views.health, name="health"),
    path("api/refresh-health/", views.health_api, name="api-health"),
    path("api/applications/<str:request_no>/", views.application_detail_api, name="api-detail"),
    path("queue/", queue_views.queue, name="queue"),
    path("queue/export.csv", queue_views.queue_export, name="queue-export"),
    path("queue/export.xlsx", queue_views.queue_export_xlsx, name="queue-export-xlsx"),
    path("queue/metrics/", queue_views.queue_metrics_fragment, name="queue-metrics"),
    path("review/<int:pk>/status/", review_views.review_status, name="review-status"),
    path("review/<int:pk>/assign/", review_views.review_assign, name="review-assign"),
    path("review/<int:pk>/note/", review_views.review_note, name="review-note"),
    path("bulk/", bulk_views.bulk_new, name="bulk-new"),
    path("bulk/<int:pk>/", bulk_views.bulk_detail, name="bulk-detail"),
    path("bulk/<int:pk>/progress/", bulk_views.bulk_progress, name="bulk-progress"),
    path("applications/<str:request_no>/watch/", notify_views.watch, name="watch"),
    path("notifications/", notify_views.inbox, name="notifications"),
    path("notifications/read/", notify_views.mark_read, name="notifications-read"),
    path("notifications/preference/", notify_views.preference, name="notification-preference"),
    path("notifications/rules/", notify_views.rules, name="notification-rules"),
    path("notifications/rules/<int:pk>/", notify_views.rule_edit, name="notification-rule"),
    path("notifications/channels/", notify_views.channels, name="notification-channels"),
    path("notifications/channels/<int:pk>/", notify_views.channel_detail, name="notification-channel"),
    path("notifications/deliveries/<int:pk>/redeliver/", notify_views.redeliver, name="notification-redeliver"),
]
