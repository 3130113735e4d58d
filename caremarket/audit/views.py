from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from caremarket.accounts.permissions import council_acted_for, require
from caremarket.core import clock
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv

from .filters import AuditFilter
from .models import AuditEvent
from .reading import RecordNames, changes, in_words, kind_of
from .trail import labels_of, model_of


def audit_columns() -> list[Column]:
    """A download's columns; its linked records are named once each, whatever its length."""
    names = RecordNames()
    return [
        Column("Number", lambda e: e.sequence or ""),
        Column("When", lambda e: clock.local(e.occurred_at).isoformat(timespec="seconds")),
        Column("Who", lambda e: e.actor_label),
        Column("What happened", lambda e: in_words(e.action)),
        Column("Kind of record", lambda e: kind_of(e.object_type)),
        Column("Record", lambda e: e.object_label),
        Column("Why", lambda e: e.reason),
        Column("What changed", lambda e: "; ".join(
            f"{what}: {was or '–'} → {now or '–'}"
            for what, was, now in changes(e.before, e.after, object_type=e.object_type, names=names))),
    ]


def _events(user):
    """A council's staff read its own council's events and what is national; none of another's."""
    own = council_acted_for(user)
    return AuditEvent.objects.filter(Q(council=own) | Q(council__isnull=True)) if own else AuditEvent.objects.all()


@login_required
def audit_list(request):
    require(request.user, "view_audit_trail")
    found = AuditFilter(request.GET, _events(request.user), request=request)
    if wants_csv(request):
        return csv_download(found.qs, audit_columns(), "audit-trail.csv")
    return render(request, "audit/list.html", {"page": page_of(request, found.qs), "filter": found,
                                               "title": "Audit trail"})


@login_required
def audit_object(request, object_type, object_id):
    require(request.user, "view_audit_trail")
    events = _events(request.user).filter(object_type__in=labels_of(object_type), object_id=object_id)
    if model_of(object_type) is None and not events.exists():
        raise Http404("There is no such kind of record")
    page = page_of(request, events)
    label = events.first().object_label if events else f"{kind_of(object_type).lower()} {object_id}"
    return render(request, "audit/list.html", {"page": page, "title": f"History of {label}", "single": True})
