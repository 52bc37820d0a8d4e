from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lodestar.audit"
    label = "audit"
    verbose_name = "History"

    def ready(self) -> None:
        from allauth.socialaccount.models import SocialAccount
        from auditlog.models import LogEntry
        from django.contrib.auth.signals import user_logged_in, user_login_failed
        from django.db.models.signals import post_delete, post_save, pre_save

        from lodestar.audit import account
        from lodestar.audit.origin import note_origin
        from lodestar.audit.registration import register_domain_models

        register_domain_models()
        pre_save.connect(note_origin, sender=LogEntry, dispatch_uid="lodestar.audit.origin")
        user_logged_in.connect(account.signed_in, dispatch_uid="lodestar.audit.signed_in")
        user_login_failed.connect(account.sign_in_refused, dispatch_uid="lodestar.audit.refused")
        post_save.connect(account.identity_linked, sender=SocialAccount, dispatch_uid="sso-link")
        post_delete.connect(
            account.identity_unlinked, sender=SocialAccount, dispatch_uid="sso-unlink"
        )
