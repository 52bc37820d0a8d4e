from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "lodestar.org"
    label = "org"
    verbose_name = "Organisation"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from lodestar.org import changes  # noqa: F401 (the saves that name their scope)
        from lodestar.org.sessions import session_ended, session_started

        user_logged_in.connect(session_started, dispatch_uid="lodestar.org.session_started")
        user_logged_out.connect(session_ended, dispatch_uid="lodestar.org.session_ended")
