from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lodestar.web"
    label = "web"
