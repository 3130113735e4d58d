from django.contrib import admin

from caremarket.accounts.permissions import council_acted_for
from caremarket.audit.admin import AuditedAdmin

from .models import AccountManagement


@admin.register(AccountManagement)
class AccountManagementAdmin(AuditedAdmin):
    """Each council names the officer, one of its own people, who manages its relationship with
    a provider."""

    list_display = ["organisation", "manager"]
    search_fields = ["organisation__name"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "manager" and (own := council_acted_for(request.user)):
            field.queryset = field.queryset.filter(organisation=own, is_active=True)
        return field
