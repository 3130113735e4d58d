"""The payment queries and invoice lists' search, filters and sort order."""

import django_filters
from django.db.models import Q

from caremarket.core import clock
from caremarket.govuk.lists import ListFilter, sorting
from caremarket.organisations.filters import CouncilListFilter
from caremarket.periods.models import PaymentPeriod

from .models import Invoice, PaymentQuery
from .runs import late_invoices


class QueryFilter(ListFilter):
    q = django_filters.CharFilter(label="Search", method="search", help_text="A visit ID or a CP- number")
    status = django_filters.ChoiceFilter(label="Status", choices=PaymentQuery.Status.choices, empty_label="Any")
    period = django_filters.ModelChoiceFilter(label="Payment period", field_name="visit__invoice__period",
                                              queryset=PaymentPeriod.objects.select_related("financial_year")
                                              .order_by("-start_date"), empty_label="Any")
    sort = sorting({"planned": "visit__planned_start", "provider": "visit__organisation__name"})

    def defaults_for(self, request) -> dict:
        """Finance opens on the queries to settle, a provider on those to answer."""
        council = request is not None and request.user.is_council
        return {"status": PaymentQuery.Status.ANSWERED if council else PaymentQuery.Status.OPEN}

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(visit__visit_id=value) | queryset.filter(visit__package__reference__iexact=value)


LATE = "late"


class InvoiceFilter(CouncilListFilter):
    q = django_filters.CharFilter(label="Search", method="search", help_text="An INV- number or a provider's name")
    status = django_filters.ChoiceFilter(label="Status", method="by_status", empty_label="Any",
                                         choices=[*Invoice.Status.choices, (LATE, "Late: not paid within 28 days")])
    period = django_filters.ModelChoiceFilter(label="Payment period", queryset=PaymentPeriod.objects.select_related(
        "financial_year").order_by("-start_date"), empty_label="Any")
    sort = sorting({"due": "due_on", "received": "received_at", "provider": "organisation__name",
                    "period": "period__start_date"})

    def defaults_for(self, request) -> dict:
        """Finance opens on the invoices received and not yet paid; a provider on all of its own."""
        return {"status": Invoice.Status.RECEIVED} if request is not None and request.user.is_council else {}

    def search(self, queryset, name, value):
        value = value.strip()
        found = Q(reference__iexact=value)
        if self.request is not None and self.request.user.is_council:
            found |= Q(organisation__name__icontains=value)
        return queryset.filter(found)

    def by_status(self, queryset, name, value):
        if value == LATE:
            return queryset.filter(late_invoices(clock.today()))
        return queryset.filter(status=value)
