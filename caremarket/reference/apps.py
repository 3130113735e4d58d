from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "caremarket.reference"
    label = "reference"
    verbose_name = "Reference data"
