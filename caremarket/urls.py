"""The service's addresses: each app declares its own pages in its urls.py; this file only
assembles them, with the API and the back office's reference data."""

from django.contrib import admin
from django.urls import include, path

from caremarket.api import api

handler403 = "caremarket.web.views.permission_denied"
handler404 = "caremarket.web.views.page_not_found"
handler500 = "caremarket.web.views.server_error"

APPS = ["web", "accounts", "organisations", "incidents", "management", "market", "citizens", "periods", "framework",
        "quality", "cqc", "opendata", "tendering", "packages", "fees", "payments", "outcomes", "ledger",
        "national_return", "privacy", "audit", "reference", "geography"]

urlpatterns = [
    *(path("", include(f"caremarket.{app}.urls")) for app in APPS),
    path("api/", api.urls),
    path("scim/v2/", include("caremarket.accounts.directory_urls")),
    path("reference-data/settings/", admin.site.urls),
]
