from django.apps import AppConfig


class ConversationConfig(AppConfig):
    name = "lodestar.conversation"
    label = "conversation"

    def ready(self) -> None:
        # Every edit of a comment is kept (who, when, the words before): its history.
        from auditlog.registry import auditlog

        from lodestar.conversation.models import Comment

        if not auditlog.contains(Comment):
            auditlog.register(Comment, include_fields=["body", "deleted_at"])
