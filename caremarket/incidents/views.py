"""Incident pages: the list (the council's all, a provider's about its own services), reporting
one, and the quality team triaging and closing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from caremarket.accounts.permissions import can, council_acted_for, get_visible_or_404, require, visible
from caremarket.core import clock
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv
from caremarket.organisations.models import CareLocation

from . import services
from .filters import IncidentFilter
from .forms import CloseForm, ReportForm, TriageForm
from .models import Incident

COLUMNS = [
    Column("Reference", lambda i: i.reference),
    Column("Kind", lambda i: i.get_kind_display()),
    Column("Service", lambda i: i.location.name),
    Column("Provider", lambda i: i.location.organisation.name),
    Column("Happened on", lambda i: i.occurred_on),
    Column("Status", lambda i: i.get_status_display()),
    Column("Severity", lambda i: i.get_severity_display()),
]


@login_required
def incident_list(request):
    require(request.user, "report_incidents")
    found = IncidentFilter(request.GET, visible(Incident.objects.select_related("location__organisation"),
                                                request.user), request=request)
    if wants_csv(request):
        return csv_download(found.qs, COLUMNS, "incidents.csv")
    return render(request, "incidents/list.html", {"filter": found, "page": page_of(request, found.qs)})


@login_required
def report(request):
    require(request.user, "report_incidents")
    locations = visible(CareLocation.objects.select_related("organisation"), request.user).order_by("name")
    form = ReportForm(request.POST or None, locations=locations, council=council_acted_for(request.user),
                      initial={"occurred_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.report(request.user, Incident(**form.cleaned_data))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{incident} is reported: {incident.council}'s quality team will triage it")
            return redirect("incident", pk=incident.pk)
    return render(request, "incidents/report.html", {"form": form})


@login_required
def incident_detail(request, pk):
    require(request.user, "report_incidents")
    incident = get_visible_or_404(Incident.objects.select_related("location__organisation", "reported_by"),
                                  request.user, pk=pk)
    may_triage = can(request.user, "triage_incidents")
    triage = TriageForm(request.POST if "triage" in request.POST else None, prefix="triage")
    close = CloseForm(request.POST if "close" in request.POST else None, prefix="close")
    if request.method == "POST":
        require(request.user, "triage_incidents")
        try:
            if "triage" in request.POST and triage.is_valid():
                services.triage(request.user, incident, **triage.cleaned_data)
                messages.success(request, f"{incident.reference} is triaged")
                return redirect("incident", pk=incident.pk)
            if "close" in request.POST and close.is_valid():
                services.close(request.user, incident, **close.cleaned_data)
                messages.success(request, f"{incident.reference} is closed")
                return redirect("incident", pk=incident.pk)
        except ValidationError as error:
            (triage if "triage" in request.POST else close).add_service_errors(error)
    return render(request, "incidents/incident.html", {
        "incident": incident, "may_triage": may_triage, "triage": triage, "close": close,
        "form": triage if triage.errors else close if close.errors else None})
