from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "caremarket.scheduling"
    label = "scheduling"
    verbose_name = "Scheduled work"
