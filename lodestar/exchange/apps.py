from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "lodestar.exchange"
    label = "exchange"
    verbose_name = "Spreadsheets and backups"
