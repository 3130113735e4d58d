"""The people list's search, filters and sort order."""

import django_filters
from django.db.models import Q

from caremarket.govuk.lists import ListFilter, sorting

from .roles import Role


class PeopleFilter(ListFilter):
    q = django_filters.CharFilter(label="Search", method="search", help_text="Part of a name or an email address")
    role = django_filters.ChoiceFilter(label="Role", choices=Role.choices, empty_label="Any role")
    active = django_filters.ChoiceFilter(label="Can sign in", method="by_activity", empty_label="Everyone",
                                         choices=[("yes", "Active"), ("no", "Closed")])
    sort = sorting({"name": "last_name", "organisation": "organisation__name", "role": "role",
                    "last_signed_in": "last_login"})

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(first_name__icontains=value) | Q(last_name__icontains=value)
                               | Q(email__icontains=value))

    def by_activity(self, queryset, name, value):
        return queryset.filter(is_active=value == "yes")
