from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "caremarket.packages"
    verbose_name = "Care packages"
