"""The carers register's and the activity list's search, filters and sort order."""

import django_filters
from django.db.models import Q

from caremarket.core import clock
from caremarket.govuk.lists import ListFilter, sorting

from .kpis import eighteen_years_before
from .models import CarerActivity


class CarerFilter(ListFilter):
    q = django_filters.CharFilter(label="Search", method="search",
                                  help_text="A register number, a family name, or a postcode")
    status = django_filters.ChoiceFilter(label="On the register", method="by_status", empty_label="Any", choices=[
        ("active", "Active"), ("not_assessed", "Active, needs not yet assessed"), ("left", "Left the register"),
        ("merged", "Merged into another registration")])
    young = django_filters.BooleanFilter(label="Only young carers (under 18)", method="young_only",
                                         widget=django_filters.widgets.forms.CheckboxInput)
    sort = sorting({"name": "family_name", "registered": "registered_on", "hours": "hours_a_week"})
    defaults = {"status": "active"}

    def search(self, queryset, name, value):
        value = value.strip()
        compact = "".join(value.split()).upper()
        return queryset.filter(Q(reference__iexact=value) | Q(family_name__iexact=value)
                               | Q(postcode__iexact=value) | Q(postcode__iexact=f"{compact[:-3]} {compact[-3:]}"))

    def by_status(self, queryset, name, value):
        active = Q(merged_into__isnull=True, left_on__isnull=True)
        return queryset.filter({"active": active, "not_assessed": active & Q(assessed_on__isnull=True),
                                "left": Q(left_on__isnull=False, merged_into__isnull=True),
                                "merged": Q(merged_into__isnull=False)}[value])

    def young_only(self, queryset, name, value):
        return queryset.filter(born_on__gt=eighteen_years_before(clock.today())) if value else queryset


class ActivityFilter(ListFilter):
    kind = django_filters.ChoiceFilter(label="What happened", choices=CarerActivity.Kind.choices, empty_label="Any")
    sort = sorting({"date": "happened_on"})
