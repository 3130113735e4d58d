from django.apps import AppConfig


class AlliancesConfig(AppConfig):
    name = "caremarket.alliances"
    verbose_name = "Alliance contracts"
