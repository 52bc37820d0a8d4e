from django.urls import path

from lodestar.notify import views

urlpatterns = [
    path("settings/webhooks/", views.delivery_log, name="webhook-log"),
]
