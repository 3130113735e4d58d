from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import FeeRate, FeeSchedule, HostAuthorityRate, QualityUplift


@admin.register(FeeSchedule)
class FeeScheduleAdmin(AuditedAdmin):
    list_display = ["__str__", "published_at"]
    readonly_fields = ["published_at", "published_by"]  # published through the service, audited


@admin.register(FeeRate)
class FeeRateAdmin(AuditedAdmin):
    list_display = ["service_type", "kind", "age_band", "need_level", "amount_pence", "unit", "effective_from",
                    "schedule"]
    list_filter = ["schedule", "kind", "service_type"]

    def has_change_permission(self, request, obj=None):
        # a published schedule is what providers were told: it is not edited
        return super().has_change_permission(request, obj) and not (obj and obj.schedule.is_published)


@admin.register(QualityUplift)
class QualityUpliftAdmin(AuditedAdmin):
    list_display = ["schedule", "rating", "percent"]


@admin.register(HostAuthorityRate)
class HostAuthorityRateAdmin(AuditedAdmin):
    list_display = ["authority", "service_type", "amount_pence", "unit", "effective_from", "source"]
    list_filter = ["authority", "service_type"]
