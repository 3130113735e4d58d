from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from caremarket.accounts.permissions import can, get_visible_or_404, visible

from .models import CareLocation, Organisation


@login_required
def organisation_list(request):
    organisations = visible(Organisation.objects.all(), request.user)
    kind = request.GET.get("kind", "")
    if kind in Organisation.Kind.values:
        organisations = organisations.filter(kind=kind)
    if request.GET.get("mine"):
        organisations = organisations.filter(account_manager=request.user)
    query = request.GET.get("q", "").strip()
    if query:
        organisations = organisations.filter(name__icontains=query)
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(request, "organisations/list.html", {
        "page": page, "kinds": Organisation.Kind.choices, "kind": kind, "query": query,
    })


@login_required
def organisation_detail(request, pk):
    organisation = get_visible_or_404(Organisation.objects.select_related("account_manager"), request.user, pk=pk)
    locations = visible(CareLocation.objects.filter(organisation=organisation).select_related("area"),
                        request.user)
    return render(request, "organisations/detail.html", {
        "organisation": organisation, "locations": locations,
        "can_view_audit": can(request.user, "view_audit_trail"),
    })
