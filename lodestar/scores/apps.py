from django.apps import AppConfig


class ScoresConfig(AppConfig):
    name = "lodestar.scores"
    label = "scores"
    verbose_name = "Scores"

    def ready(self) -> None:
        # Registers the start-up check of the scoring settings.
        from lodestar.scores import checks  # noqa: F401
