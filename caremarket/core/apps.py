from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "caremarket.core"
    label = "core"
    verbose_name = "Shared building blocks"

    def ready(self):
        from . import converters  # noqa: F401  (registers the "id" path converter before any URL is read)
