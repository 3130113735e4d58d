from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, render

from caremarket.accounts.permissions import can, get_visible_or_404, require, visible
from caremarket.audit.trail import record, snapshot
from caremarket.core.redirects import to_own_path
from caremarket.govuk.forms import GovukFormMixin
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
    organisation = get_visible_or_404(Organisation, request.user, pk=pk)
    locations = visible(CareLocation.objects.filter(organisation=organisation).select_related("area"),
                        request.user)
    return render(request, "organisations/detail.html", {
        "organisation": organisation, "locations": locations,
        "account_managers": visible(organisation.account_managements.select_related("manager", "council"),
                                    request.user),
        "can_view_audit": can(request.user, "view_audit_trail"),
        "provider_record": can(request.user, "view_provider_records"),
        "performance": organisation.kind == Organisation.Kind.PROVIDER and can(request.user, "view_performance"),
        "cost_of_care": organisation.kind == Organisation.Kind.PROVIDER and can(request.user, "view_cost_of_care"),
        "finance": organisation.kind != Organisation.Kind.COUNCIL and can(request.user, "run_payments"),
    })


class SupplierNumberForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["supplier_number"]
        labels = {"supplier_number": "Supplier number"}


@login_required
def supplier_number(request, pk):
    """Finance records the finance system's number for a provider: the creditor payment file
    carries it, and the provider's bank details stay in the finance system."""
    require(request.user, "run_payments")
    organisation = get_object_or_404(Organisation, pk=pk)
    before = snapshot(organisation)
    form = SupplierNumberForm(request.POST if request.method == "POST" else None, instance=organisation)
    if form.is_bound and form.is_valid():
        with transaction.atomic():
            form.save()
            record(request.user, "organisation.supplier_number_set", organisation, before=before)
        messages.success(request, f"{organisation.name}'s supplier number is saved")
        return to_own_path(request, request.GET.get("next"), "organisation-detail", pk)
    return render(request, "organisations/supplier_number.html", {"organisation": organisation, "form": form})
