from django.urls import path

from lodestar.notify import preferences_views, views

urlpatterns = [
    path("settings/webhooks/", views.delivery_log, name="webhook-log"),
    path(
        "settings/notifications/",
        preferences_views.notification_settings,
        name="notification-settings",
    ),
]
