from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "lodestar.org"
    label = "org"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from lodestar.org import changes  # noqa: F401 (the saves that name their scope)
