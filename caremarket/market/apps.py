from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "caremarket.market"
    label = "market"
    verbose_name = "Market intelligence"
