from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "lodestar.sso"
    label = "sso"
    verbose_name = "Single sign-on"
