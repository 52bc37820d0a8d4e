from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "lodestar.sources"
    label = "sources"
