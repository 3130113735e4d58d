"""The back-office site (Django admin) for reference data, open to commissioners.

Kept apart from the apps' admin modules so that INSTALLED_APPS can name it before models load.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from caremarket.accounts.permissions import can


class CaremarketAdminSite(admin.AdminSite):
    site_header = "Caremarket reference data"
    site_title = "Caremarket reference data"
    index_title = "Reference data"
    site_url = "/"

    def has_permission(self, request):
        user = request.user
        return user.is_active and (user.is_superuser or can(user, "manage_reference_data"))


class CaremarketAdminConfig(AdminConfig):
    default_site = "caremarket.accounts.admin_site.CaremarketAdminSite"
