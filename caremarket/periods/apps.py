from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "caremarket.periods"
    label = "periods"
    verbose_name = "Financial years and payment periods"
