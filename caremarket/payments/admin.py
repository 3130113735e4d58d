from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import VisitRule


@admin.register(VisitRule)
class VisitRuleAdmin(AuditedAdmin):
    list_display = ["service_type", "pay_on", "tolerance_minutes", "rounding_minutes", "rounding", "minimum_minutes"]
