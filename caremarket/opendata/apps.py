from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    name = "caremarket.opendata"
    label = "opendata"
    verbose_name = "Open data"
