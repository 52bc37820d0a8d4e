from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "lodestar.org"
    label = "org"
    verbose_name = "Organisation"
