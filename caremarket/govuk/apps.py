from django.apps import AppConfig


class GovukConfig(AppConfig):
    name = "caremarket.govuk"
    verbose_name = "GOV.UK Design System"
