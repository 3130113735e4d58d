from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import NeedGroup, ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(AuditedAdmin):
    list_display = ["name", "code", "setting", "open_to_new_entrants", "max_providers", "is_active"]


@admin.register(NeedGroup)
class NeedGroupAdmin(AuditedAdmin):
    list_display = ["name", "code", "is_active"]
