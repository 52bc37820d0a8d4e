from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportsConfig(AppConfig):
    name = "lodestar.reports"
    label = "reports"

    def ready(self) -> None:
        from lodestar.okrs.closing import closed_cycle_graded, cycle_closed
        from lodestar.reports import services

        cycle_closed.connect(services.review_kept_at_close)
        closed_cycle_graded.connect(services.review_grades_kept)
        # Run by `migrate`: an installation's quarters closed before reviews were kept.
        post_migrate.connect(services.reviews_kept_for_closed_cycles, sender=self)
