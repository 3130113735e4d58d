from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "caremarket.organisations"
    label = "organisations"
    verbose_name = "Organisations"
