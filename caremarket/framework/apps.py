from django.apps import AppConfig
from django.db.models.signals import post_save


class FrameworkConfig(AppConfig):
    name = "caremarket.framework"
    label = "framework"
    verbose_name = "Framework and enrolment"

    def ready(self):
        from caremarket.organisations.models import Organisation

        from .councils import adopt_the_installed_framework

        post_save.connect(adopt_the_installed_framework, sender=Organisation,
                          dispatch_uid="adopt_the_installed_framework")
