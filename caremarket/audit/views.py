from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from caremarket.accounts.permissions import require

from .models import AuditEvent
from .trail import labels_of


@login_required
def audit_list(request):
    require(request.user, "view_audit_trail")
    events = AuditEvent.objects.all()
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page": page, "action": action, "title": "Audit trail"})


@login_required
def audit_object(request, object_type, object_id):
    require(request.user, "view_audit_trail")
    events = AuditEvent.objects.filter(object_type__in=labels_of(object_type), object_id=object_id)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    label = events.first().object_label if events else f"{object_type} {object_id}"
    return render(request, "audit/list.html", {"page": page, "title": f"History of {label}", "single": True})
