from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "caremarket.events"
    label = "events"
    verbose_name = "Events for other systems"
