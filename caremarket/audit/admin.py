"""Reference data screens: every save through them is recorded in the audit trail."""

from django.contrib import admin
from django.db import transaction

from caremarket.accounts.permissions import can
from caremarket.audit.trail import record, snapshot


class AuditedAdmin(admin.ModelAdmin):
    """Reference data that commissioners keep; changes are audited."""

    def _allowed(self, request):
        return request.user.is_superuser or can(request.user, "manage_reference_data")

    has_module_permission = has_view_permission = has_add_permission = has_change_permission = (
        lambda self, request, obj=None: self._allowed(request)
    )

    def has_delete_permission(self, request, obj=None):
        return False  # reference data is retired (is_active), never deleted: records point at it

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(request.user, f"{obj._meta.model_name}.{'changed' if change else 'added'}", obj, before=before)
