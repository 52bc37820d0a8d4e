from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lodestar.audit"
    label = "audit"
    verbose_name = "History"

    def ready(self) -> None:
        from lodestar.audit.registration import register_domain_models

        register_domain_models()
