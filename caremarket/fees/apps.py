from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "caremarket.fees"
    verbose_name = "Fee schedules and the annual price review"
