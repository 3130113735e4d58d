import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from caremarket.accounts.permissions import require, visible
from caremarket.core import clock, csv_out
from caremarket.govuk.lists import page_of

from .access_log import record_access
from .filters import CitizenFilter
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


def _accesses(request):
    """The access log, filtered by the citizen's record number, the person and the dates."""
    accesses = RecordAccess.objects.select_related("person")
    chosen = {name: request.GET.get(name, "").strip() for name in ("citizen", "person", "since", "until")}
    if chosen["citizen"]:
        accesses = accesses.filter(shown__citizen__reference__iexact=chosen["citizen"])
    if chosen["person"]:
        accesses = accesses.filter(person__username__icontains=chosen["person"])
    for name, lookup in (("since", "at__date__gte"), ("until", "at__date__lte")):
        try:
            day = dt.date.fromisoformat(chosen[name]) if chosen[name] else None
        except ValueError:
            day, chosen[name] = None, ""
        if day:
            accesses = accesses.filter(**{lookup: day})
    return accesses.distinct(), chosen


@login_required
def access_log(request):
    """For the council's data protection officer: who looked at citizens' records."""
    require(request.user, "view_access_log")
    accesses, chosen = _accesses(request)
    page = Paginator(accesses.prefetch_related("citizens"), 50).get_page(request.GET.get("page"))
    return render(request, "citizens/access_log.html", {"page": page, "chosen": chosen,
                                                        "query": urlencode({k: v for k, v in chosen.items() if v})})


@login_required
def access_log_csv(request):
    require(request.user, "view_access_log")
    accesses, _ = _accesses(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="citizen-record-access-log.csv"'
    writer = csv_out.writer(response)
    writer.writerow(["when", "person", "role", "what", "where", "citizens"])
    for access in accesses.prefetch_related("citizens").iterator(chunk_size=2000):
        writer.writerow([clock.local(access.at).isoformat(timespec="seconds"), access.person.username, access.role,
                         access.get_kind_display(), access.where,
                         " ".join(c.reference for c in access.citizens.all())])
    return response
