"""The people and API token lists' search, filters and sort order."""

import django_filters
from django.db.models import Q

from caremarket.core import clock
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


class ApiTokenFilter(ListFilter):
    q = django_filters.CharFilter(label="Search", method="search",
                                  help_text="What uses it, a person's name or email address, or its first characters")
    working = django_filters.ChoiceFilter(label="Works", method="by_working", empty_label="Every token",
                                          choices=[("yes", "Working"), ("no", "Stopped: revoked or expired")])
    sort = sorting({"made": "created_at", "stops": "expires_at", "last_used": "last_used_at", "name": "name"})

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(key_hint__startswith=value)
                               | Q(user__first_name__icontains=value) | Q(user__last_name__icontains=value)
                               | Q(user__email__icontains=value))

    def by_working(self, queryset, name, value):
        working = Q(revoked_at__isnull=True, expires_at__gt=clock.now(), user__is_active=True)
        return queryset.filter(working) if value == "yes" else queryset.exclude(working)
