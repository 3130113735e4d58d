"""The list of inspections the council has called for: its search, filters and sort order."""

import django_filters
from django.db.models import Q

from caremarket.govuk.lists import ListFilter, sorting

from .models import FocussedInspectionRequest

WAITING, GIVEN, NOT_GIVEN, DONE, EVERY = "waiting", "given", "not_given", "done", "every"


class InspectionRequestFilter(ListFilter):
    q = django_filters.CharFilter(label="Search", method="search", help_text="A service's or a provider's name")
    status = django_filters.ChoiceFilter(label="Status", method="by_status", empty_label=None, choices=[
        (WAITING, "Waiting for an inspection"), (NOT_GIVEN, "Waiting, not yet given to an assessor"),
        (GIVEN, "Given to an assessor, not yet inspected"), (DONE, "Inspected"), (EVERY, "Every inspection")])
    kind = django_filters.ChoiceFilter(label="Kind", choices=FocussedInspectionRequest.Kind.choices, empty_label="Any")
    sort = sorting({"called": "raised_on", "due": "due_on", "service": "location__name"})

    defaults = {"status": WAITING}

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(location__name__icontains=value) | Q(location__organisation__name__icontains=value))

    def by_status(self, queryset, name, value):
        waiting = queryset.filter(closed_on__isnull=True)
        return {WAITING: waiting, NOT_GIVEN: waiting.filter(assessor__isnull=True),
                GIVEN: waiting.filter(assessor__isnull=False), DONE: queryset.filter(closed_on__isnull=False),
                EVERY: queryset}[value]
