from django.apps import AppConfig


class TenderingConfig(AppConfig):
    name = "caremarket.tendering"
    verbose_name = "Micro-tendering and care packages"
