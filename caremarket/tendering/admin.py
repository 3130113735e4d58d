from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from caremarket.audit.admin import AuditedAdmin
from caremarket.audit.trail import record

from . import evaluation
from .models import BlockContract, QualityCriterion, TenderPolicy


class CriteriaFormSet(BaseInlineFormSet):
    """A policy's criteria are checked together by the rule that scores on them."""

    def clean(self):
        super().clean()
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            evaluation.check_criteria([evaluation.Criterion(str(i), c["name"], c["points"], c["from_rating"])
                                       for i, c in enumerate(kept)], self.instance.scale_top)
        except evaluation.CriteriaError as problem:
            raise ValidationError(str(problem)) from None


class QualityCriterionInline(admin.TabularInline):
    model = QualityCriterion
    formset = CriteriaFormSet
    fields = ["order", "name", "points", "from_rating", "guidance"]
    extra = 0

    def _allowed(self, request, obj=None):
        return AuditedAdmin._allowed(self, request)

    # Criteria are part of the policy's terms, kept by whoever keeps the policy; a criterion that
    # scores were given on cannot be deleted (its scores point at it).
    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = _allowed


@admin.register(TenderPolicy)
class TenderPolicyAdmin(AuditedAdmin):
    list_display = ["service_type", "framework", "rule",
                    "urgent_response_hours", "standard_response_hours", "widen_automatically", "max_rounds",
                    "raise_from_client_records"]
    list_filter = ["framework", "rule"]
    inlines = [QualityCriterionInline]

    def save_related(self, request, form, formsets, change):
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            record(request.user, "tender_policy.criteria_changed", form.instance, after={
                "criteria": [f"{c.name}: {c.points} points{' (the rating)' if c.from_rating else ''}"
                             for c in form.instance.criteria.all()], "scale": f"0 to {form.instance.scale_top}"})


@admin.register(BlockContract)
class BlockContractAdmin(AuditedAdmin):
    list_display = ["reference", "organisation", "service_type", "area", "weekly_hours", "places", "price_pence",
                    "starts_on", "ends_on"]
    list_filter = ["service_type", "area"]
    raw_id_fields = ["organisation", "location"]
    filter_horizontal = ["need_groups"]
