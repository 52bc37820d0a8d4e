from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "lodestar.chat"
    label = "chat"
    verbose_name = "Check-ins from chat"
