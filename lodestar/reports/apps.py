from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportsConfig(AppConfig):
    name = "lodestar.reports"
    label = "reports"

    def ready(self) -> None:
        from lodestar.reports.services import reviews_kept_for_closed_cycles

        # Run by `migrate`: an installation's quarters closed before reviews were kept.
        post_migrate.connect(reviews_kept_for_closed_cycles, sender=self)
