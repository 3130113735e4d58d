from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "caremarket.outcomes"
    verbose_name = "Contracts paid by results"
