"""The citizen list's search and filters (for council staff who may see citizens), and the
log of who looked at citizens' records."""

import django_filters
from django.db.models import Q

from caremarket.geography.models import Area
from caremarket.govuk.lists import ListFilter, date_filter, sorting

from .models import Assessment, RecordAccess


class CitizenFilter(ListFilter):
    q = django_filters.CharFilter(label="Name or council record number", method="search",
                                  help_text="All or part of a name, like Zeb Quig, or a whole record number")
    area = django_filters.ModelChoiceFilter(label="Area", field_name="ward__area", queryset=Area.objects.all(),
                                            empty_label="Any area")
    status = django_filters.ChoiceFilter(label="Has an assessment that is", field_name="assessments__status",
                                         choices=Assessment.Status.choices, empty_label="Any", distinct=True)
    mine = django_filters.BooleanFilter(label="Only my cases", method="my_cases",
                                        widget=django_filters.widgets.forms.CheckboxInput)
    sort = sorting({"name": "family_name", "record": "reference"})

    def search(self, queryset, name, value):
        """Every word found in a given or family name (any order), or the record number."""
        words = value.split()[:5]
        if not words:
            return queryset
        named = Q()
        for word in words:
            named &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
        return queryset.filter(named | Q(reference__iexact=value.strip()))

    def my_cases(self, queryset, name, value):
        return queryset.filter(social_worker=self.request.user) if value else queryset


class AccessLogFilter(ListFilter):
    """Who looked at citizens' records: to answer "who looked at my record?" by the citizen's
    council record number, and to look into one person's reading."""

    citizen = django_filters.CharFilter(label="Citizen's council record number", method="by_citizen",
                                        help_text="For example BCC-778899")
    person = django_filters.CharFilter(label="Person", method="by_person", help_text="Part of a name or email address")
    kind = django_filters.ChoiceFilter(label="What they saw", choices=RecordAccess.Kind.choices, empty_label="Anything")
    since = date_filter("On or after", "at", "date__gte", example="1/11/2026")
    until = date_filter("On or before", "at", "date__lte", example="30/11/2026")

    def by_citizen(self, queryset, name, value):
        return queryset.filter(shown__citizen__reference__iexact=value.strip()).distinct()

    def by_person(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(person__username__icontains=value) | Q(person__first_name__icontains=value)
                               | Q(person__last_name__icontains=value))
