from django.apps import AppConfig


class NationalReturnConfig(AppConfig):
    name = "caremarket.national_return"
    label = "national_return"
    verbose_name = "The national Client Level Data return"
