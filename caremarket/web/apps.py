from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "caremarket.web"
    label = "web"
    verbose_name = "Web pages"
