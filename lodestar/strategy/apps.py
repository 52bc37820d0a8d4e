from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "lodestar.strategy"
    label = "strategy"
