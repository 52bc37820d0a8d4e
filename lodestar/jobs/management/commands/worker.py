"""`lodestar worker [--queue NAME …] [--batch]`: run background jobs (production runs one
or more under a supervisor such as systemd; each survives database restarts itself)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lodestar.jobs.worker import Worker


def known_queues() -> list[str]:
    return settings.TASKS["default"]["QUEUES"]


class Command(BaseCommand):
    help = (
        "Run background jobs: the roll-up, webhooks, reminders and digests, source syncs, "
        "imports, insights. Every queue unless --queue names some; enqueues the periodic "
        "jobs of its queues itself."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            metavar="NAME",
            help=f"a queue to serve (repeatable): {', '.join(known_queues())}; default every one",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks when idle"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run the jobs waiting now, then stop"
        )

    def handle(self, *args, queues=None, interval=1.0, batch=False, **options) -> None:
        unknown = sorted(set(queues or ()) - set(known_queues()))
        if unknown:
            raise CommandError(
                f"No queue named {', '.join(unknown)}; the queues are {', '.join(known_queues())}."
            )
        if not interval > 0:
            raise CommandError("--interval must be a positive number of seconds.")
        worker = Worker(queue_names=queues or ["*"], interval=interval, batch=batch)
        served = "every queue" if not queues else "queues " + ", ".join(queues)
        self.stdout.write(f"Worker {worker.worker_id} runs the jobs of {served}.")
        if not batch:
            worker.configure_signals()
        worker.run()
