from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import GroupRole


@admin.register(GroupRole)
class GroupRoleAdmin(AuditedAdmin):
    list_display = ["group", "role", "order"]
