import django_filters
from django.db.models import Q

from caremarket.govuk.lists import ListFilter, sorting

from .models import Incident


class IncidentFilter(ListFilter):
    q = django_filters.CharFilter(label="Search", method="search", help_text="An INC- number or part of a service's "
                                                                             "name")
    status = django_filters.ChoiceFilter(label="Status", choices=Incident.Status.choices, empty_label="Any")
    kind = django_filters.ChoiceFilter(label="Kind", choices=Incident.Kind.choices, empty_label="Any")
    sort = sorting({"reported": "reported_at", "occurred": "occurred_on"})

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(reference__iexact=value) | Q(location__name__icontains=value))
