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

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or can(user, "manage_reference_data"))


class CaremarketAdminConfig(AdminConfig):
    default_site = "caremarket.accounts.admin_site.CaremarketAdminSite"
