from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "lodestar.notify"
    label = "notify"
