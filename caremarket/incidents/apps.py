from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "caremarket.incidents"
    label = "incidents"
    verbose_name = "Incidents, concerns and safeguarding"
