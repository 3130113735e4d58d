from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from caremarket.accounts.permissions import can, get_visible_or_404, visible
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv

from .filters import OrganisationFilter
from .models import CareLocation, Organisation

ORGANISATION_COLUMNS = [
    Column("Name", lambda o: o.name),
    Column("Kind", lambda o: o.get_kind_display()),
    Column("CQC provider ID", lambda o: o.cqc_provider_id or ""),
    Column("Email", lambda o: o.email),
    Column("Telephone", lambda o: o.phone),
    Column("Postcode", lambda o: o.postcode),
]


@login_required
def organisation_list(request):
    found = OrganisationFilter(request.GET, visible(Organisation.objects.all(), request.user), request=request)
    if wants_csv(request):
        return csv_download(found.qs, ORGANISATION_COLUMNS, "organisations.csv")
    return render(request, "organisations/list.html", {"filter": found, "page": page_of(request, found.qs)})


@login_required
def organisation_detail(request, pk):
    organisation = get_visible_or_404(Organisation.objects.select_related("account_manager"), request.user, pk=pk)
    locations = visible(CareLocation.objects.filter(organisation=organisation).select_related("area"),
                        request.user)
    return render(request, "organisations/detail.html", {
        "organisation": organisation, "locations": locations,
        "can_view_audit": can(request.user, "view_audit_trail"),
        "provider_record": can(request.user, "view_provider_records"),
        "performance": organisation.kind == Organisation.Kind.PROVIDER and can(request.user, "view_performance"),
        "cost_of_care": organisation.kind == Organisation.Kind.PROVIDER and can(request.user, "view_cost_of_care"),
    })
