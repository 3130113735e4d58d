from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "caremarket.demo"
    label = "demo"
    verbose_name = "Demo market"
