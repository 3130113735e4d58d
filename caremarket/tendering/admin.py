from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import BlockContract, TenderPolicy


@admin.register(TenderPolicy)
class TenderPolicyAdmin(AuditedAdmin):
    list_display = ["service_type", "framework", "rule",
                    "urgent_response_hours", "standard_response_hours", "widen_automatically", "max_rounds"]
    list_filter = ["framework", "rule"]


@admin.register(BlockContract)
class BlockContractAdmin(AuditedAdmin):
    list_display = ["reference", "organisation", "service_type", "area", "weekly_hours", "places", "price_pence",
                    "starts_on", "ends_on"]
    list_filter = ["service_type", "area"]
    raw_id_fields = ["organisation", "location"]
    filter_horizontal = ["need_groups"]
