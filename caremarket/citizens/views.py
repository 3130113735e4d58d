from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from caremarket.accounts.permissions import require, visible
from caremarket.core import clock
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv

from .access_log import record_access
from .filters import AccessLogFilter, CitizenFilter
from .models import Citizen, RecordAccess


@login_required
def citizen_list(request):
    """No download here: a file of citizens' names and records could be passed on unseen."""
    require(request.user, "view_citizens")
    found = CitizenFilter(request.GET, visible(Citizen.objects.select_related("ward__area"), request.user),
                          request=request)
    page = page_of(request, found.qs)
    record_access(request, page.object_list, kind=RecordAccess.Kind.LIST)
    return render(request, "citizens/list.html", {"filter": found, "page": page})


ACCESS_COLUMNS = [
    Column("When", lambda a: clock.local(a.at).isoformat(timespec="seconds")),
    Column("Person", lambda a: a.person.username),
    Column("Role", lambda a: a.role),
    Column("What they saw", lambda a: a.get_kind_display() + (" (API)" if a.via_api else "")),
    Column("Where", lambda a: a.where),
    Column("Citizens shown", lambda a: " ".join(c.reference for c in a.citizens.all())),
]


@login_required
def access_log(request):
    """For the council's data protection officer: who looked at citizens' records."""
    require(request.user, "view_access_log")
    found = AccessLogFilter(request.GET, RecordAccess.objects.select_related("person").prefetch_related("citizens"),
                            request=request)
    if wants_csv(request):
        return csv_download(found.qs, ACCESS_COLUMNS, "citizen-record-access-log.csv")
    return render(request, "citizens/access_log.html", {"filter": found, "page": page_of(request, found.qs)})
