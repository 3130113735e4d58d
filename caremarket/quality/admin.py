from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import Toolkit, TriggerThreshold


@admin.register(TriggerThreshold)
class TriggerThresholdAdmin(AuditedAdmin):
    list_display = ["__str__", "kind", "count", "window_days"]


@admin.register(Toolkit)
class ToolkitAdmin(AuditedAdmin):
    list_display = ["version", "published_on"]
