from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "caremarket.quality"
    label = "quality"
    verbose_name = "Quality Rating System"
