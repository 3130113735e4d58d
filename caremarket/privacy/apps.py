from django.apps import AppConfig
from django.db.models.signals import post_save


class PrivacyConfig(AppConfig):
    name = "caremarket.privacy"
    verbose_name = "Data protection"

    def ready(self):
        from .retention import start_schedule

        # After organisations' own (the first council adopts the schedule the install was loaded with).
        post_save.connect(start_schedule, sender="organisations.Organisation", dispatch_uid="start_retention_schedule")
