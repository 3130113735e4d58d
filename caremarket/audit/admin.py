"""Reference data screens: every save through them is recorded in the audit trail, and a
council's commissioners keep only their own council's (the one scoping rule, for the records
listed and for the records a field may point at)."""

from django.contrib import admin
from django.db import transaction

from caremarket.accounts.permissions import can, council_acted_for, for_council
from caremarket.audit.trail import record, snapshot


class AuditedAdmin(admin.ModelAdmin):
    """Reference data that commissioners keep; changes are audited."""

    def _allowed(self, request):
        return request.user.is_superuser or can(request.user, "manage_reference_data")

    has_module_permission = has_view_permission = has_add_permission = (
        lambda self, request, obj=None: self._allowed(request)
    )

    def has_change_permission(self, request, obj=None):
        """A council changes its own records alone (a joint framework's partners read it)."""
        own = council_acted_for(request.user)
        return self._allowed(request) and (obj is None or own is None or getattr(obj, "council_path", None) != "council"
                                           or obj.council_id == own)

    def has_delete_permission(self, request, obj=None):
        return False  # reference data is retired (is_active), never deleted: records point at it

    def get_queryset(self, request):
        return for_council(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._councils_own(super().formfield_for_foreignkey(db_field, request, **kwargs), request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._councils_own(super().formfield_for_manytomany(db_field, request, **kwargs), request)

    @staticmethod
    def _councils_own(field, request):
        if field is not None and getattr(field, "queryset", None) is not None:
            field.queryset = for_council(field.queryset, request.user)
        return field

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        if getattr(obj, "council_path", None) == "council" and obj.council_id is None and not getattr(obj, "council_from", None):
            obj.council_id = council_acted_for(request.user)  # a council's own, made by its commissioner
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            record(request.user, f"{obj._meta.model_name}.{'changed' if change else 'added'}", obj, before=before)
