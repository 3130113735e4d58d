from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import CostCentre, SubjectiveCode


@admin.register(CostCentre)
class CostCentreAdmin(AuditedAdmin):
    list_display = ["code", "service_type", "area"]


@admin.register(SubjectiveCode)
class SubjectiveCodeAdmin(AuditedAdmin):
    list_display = ["code", "key", "control_cost_centre"]
