from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.shortcuts import render

from caremarket.accounts.permissions import require, visible
from caremarket.core import clock
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv

from .access_log import record_access
from .filters import AccessLogFilter, CitizenFilter
from .models import Assessment, Citizen, RecordAccess


@login_required
def citizen_list(request):
    """No download here: a file of citizens' names and records could be passed on unseen."""
    require(request.user, "view_citizens")
    latest = Assessment.objects.filter(citizen=OuterRef("pk")).order_by("-assessed_on", "-pk")
    citizens = visible(Citizen.objects.select_related("ward__area"), request.user).annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_assessed_on=Subquery(latest.values("assessed_on")[:1]))
    found = CitizenFilter(request.GET, citizens, request=request)
    page = page_of(request, found.qs)
    record_access(request, page.object_list, kind=RecordAccess.Kind.LIST)
    statuses, today = dict(Assessment.Status.choices), clock.today()
    for citizen in page:  # where their latest assessment stands, and how long they have waited for a service
        citizen.status = statuses.get(citizen.latest_status, "Not assessed")
        citizen.days_waiting = ((today - citizen.latest_assessed_on).days
                                if citizen.latest_status == Assessment.Status.AWAITING_SERVICE else None)
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
