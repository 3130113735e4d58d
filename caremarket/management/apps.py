from django.apps import AppConfig


class ManagementConfig(AppConfig):
    name = "caremarket.management"
    label = "management"
    verbose_name = "Contract management"
