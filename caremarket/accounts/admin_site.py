"""The back-office site (Django admin) for the settings that have no pages of their own
(policies, thresholds, entry criteria), open to commissioners. Service types, need groups,
areas and wards have GOV.UK pages (audit/reference_pages.py).

Kept apart from the apps' admin modules so that INSTALLED_APPS can name it before models load.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from caremarket.accounts.permissions import can


class CaremarketAdminSite(admin.AdminSite):
    site_header = "Caremarket settings"
    site_title = "Caremarket settings"
    index_title = "Other settings"
    site_url = "/reference-data/"
    # Secrets no one else may read: people's authenticator keys and recovery codes (django-otp
    # offers them to the admin; a person resets their own, an administrator resets theirs).
    NEVER_HERE = {"otp_totp.TOTPDevice", "otp_static.StaticDevice"}

    def register(self, model_or_iterable, admin_class=None, **options):
        models = model_or_iterable if isinstance(model_or_iterable, (list, tuple)) else [model_or_iterable]
        kept = [model for model in models if model._meta.label not in self.NEVER_HERE]
        if kept:
            super().register(kept, admin_class, **options)

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or can(user, "manage_reference_data"))


class CaremarketAdminConfig(AdminConfig):
    default_site = "caremarket.accounts.admin_site.CaremarketAdminSite"
