from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import Area, PostcodeDistrict, Ward


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["name", "code", "weekly_care_hours"]


@admin.register(Ward)
class WardAdmin(AuditedAdmin):
    list_display = ["name", "ons_code", "area", "locality"]
    list_filter = ["area"]


@admin.register(PostcodeDistrict)
class PostcodeDistrictAdmin(AuditedAdmin):
    list_display = ["code", "area"]
    list_filter = ["area"]
