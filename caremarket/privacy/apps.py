from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "caremarket.privacy"
    verbose_name = "Data protection"
