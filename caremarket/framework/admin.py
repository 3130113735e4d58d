from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import DocumentType, EntryCriterion, Framework, Section


@admin.register(Framework)
class FrameworkAdmin(AuditedAdmin):
    list_display = ["name", "starts_on", "ends_on", "initial_procurement_closes_on"]


@admin.register(Section)
class SectionAdmin(AuditedAdmin):
    list_display = ["__str__", "open_to_new_entrants", "max_providers"]
    list_filter = ["service_type", "area"]


@admin.register(DocumentType)
class DocumentTypeAdmin(AuditedAdmin):
    list_display = ["name", "code", "has_expiry", "remind_days_before_expiry", "suspends_bidding_when_expired"]


@admin.register(EntryCriterion)
class EntryCriterionAdmin(AuditedAdmin):
    list_display = ["name", "kind", "document_type", "nursing_only", "is_active", "position"]
