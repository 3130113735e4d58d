from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import SpendBudget


@admin.register(SpendBudget)
class SpendBudgetAdmin(AuditedAdmin):
    list_display = ["period", "amount_pence"]
