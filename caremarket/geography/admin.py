from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import PostcodeDistrict

# Areas and wards have their own pages (pages.py); postcode districts are loaded from the ONS
# and corrected here.


@admin.register(PostcodeDistrict)
class PostcodeDistrictAdmin(AuditedAdmin):
    list_display = ["code", "area"]
    list_filter = ["area"]
