"""The payment queries list's search, filters and sort order."""

import django_filters

from caremarket.govuk.lists import ListFilter, sorting
from caremarket.periods.models import PaymentPeriod

from .models import PaymentQuery


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
