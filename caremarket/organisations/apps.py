from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class OrganisationsConfig(AppConfig):
    name = "caremarket.organisations"
    label = "organisations"
    verbose_name = "Organisations"

    def ready(self):
        from . import councils

        # Once per migrate, after every app's tables exist: each council-owned table's policy.
        post_migrate.connect(councils.install_policies, sender=self, dispatch_uid="council_policies")
        # A new install's first council takes what the install was loaded with (its framework, fees).
        post_save.connect(councils.adopt_what_was_installed, sender="organisations.Organisation",
                          dispatch_uid="adopt_what_was_installed")
