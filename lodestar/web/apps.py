from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "lodestar.web"
    label = "web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from lodestar.web.middleware import remember_second_factor
        from lodestar.web.views import alignment, dashboard  # noqa: F401 (their first reads)

        user_logged_in.connect(remember_second_factor, dispatch_uid="lodestar-second-factor")
