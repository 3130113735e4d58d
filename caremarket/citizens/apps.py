from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "caremarket.citizens"
    label = "citizens"
    verbose_name = "Citizens and assessments"
