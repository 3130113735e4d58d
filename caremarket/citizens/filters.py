"""The citizen list's search and filters (for council staff who may see citizens)."""

import django_filters
from django.db.models import Q

from caremarket.geography.models import Area
from caremarket.govuk.lists import ListFilter, sorting

from .models import Assessment


class CitizenFilter(ListFilter):
    q = django_filters.CharFilter(label="Last name or council record number", method="search")
    area = django_filters.ModelChoiceFilter(label="Area", field_name="ward__area", queryset=Area.objects.all(),
                                            empty_label="Any area")
    status = django_filters.ChoiceFilter(label="Has an assessment that is", field_name="assessments__status",
                                         choices=Assessment.Status.choices, empty_label="Any", distinct=True)
    mine = django_filters.BooleanFilter(label="Only my cases", method="my_cases",
                                        widget=django_filters.widgets.forms.CheckboxInput)
    sort = sorting({"name": "family_name", "record": "reference"})

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(family_name__icontains=value) | Q(reference__iexact=value))

    def my_cases(self, queryset, name, value):
        return queryset.filter(social_worker=self.request.user) if value else queryset
