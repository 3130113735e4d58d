from django.contrib import admin

from caremarket.audit.admin import AuditedAdmin

from .models import CodeMapping


@admin.register(CodeMapping)
class CodeMappingAdmin(AuditedAdmin):
    list_display = ["kind", "ours", "theirs"]
    list_filter = ["kind"]
