from django.urls import path

from .views import api, bulk, health, home, notifications, pages, preferences, queue, review

app_name = "applications"
urlpatterns = [
    path("", home.home, name="home"),
    path("lookup/", pages.lookup, name="lookup"),
    path("applications/<str:request_no>/", pages.detail, name="detail"),
    path("applications/<str:request_no>/refresh/", pages.refresh, name="refresh"),
    path("applications/<str:request_no>/refresh-background/", pages.refresh_background, name="refresh-background"),
    path("refresh/", health.health, name="health"),
    path("api/refresh-health/", health.health_api, name="api-health"),
    path("api/applications/<str:request_no>/", api.application_detail_api, name="api-detail"),
    path("queue/", queue.queue, name="queue"),
    path("queue/export.csv", queue.queue_export, name="queue-export"),
    path("queue/export.xlsx", queue.queue_export_xlsx, name="queue-export-xlsx"),
    path("queue/metrics/", queue.queue_metrics_fragment, name="queue-metrics"),
    path("review/<int:pk>/status/", review.review_status, name="review-status"),
    path("review/<int:pk>/assign/", review.review_assign, name="review-assign"),
    path("review/<int:pk>/note/", review.review_note, name="review-note"),
    path("bulk/", bulk.bulk_new, name="bulk-new"),
    path("bulk/<int:pk>/", bulk.bulk_detail, name="bulk-detail"),
    path("bulk/<int:pk>/progress/", bulk.bulk_progress, name="bulk-progress"),
    path("preferences/", preferences.preferences, name="preferences"),
    path("preferences/language/", preferences.language_switch, name="language-switch"),
    path("applications/<str:request_no>/watch/", notifications.watch, name="watch"),
    path("notifications/", notifications.inbox, name="notifications"),
    path("notifications/read/", notifications.mark_read, name="notifications-read"),
    path("notifications/preference/", notifications.preference, name="notification-preference"),
    path("notifications/rules/", notifications.rules, name="notification-rules"),
    path("notifications/rules/<int:pk>/", notifications.rule_edit, name="notification-rule"),
    path("notifications/channels/", notifications.channels, name="notification-channels"),
    path("notifications/channels/<int:pk>/", notifications.channel_detail, name="notification-channel"),
    path("notifications/deliveries/<int:pk>/redeliver/", notifications.redeliver, name="notification-redeliver"),
    path("bulk/<int:pk>/results.csv", bulk.bulk_export, name="bulk-export"),
]
