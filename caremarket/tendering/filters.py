"""The brokerage queue's search, filters and sort order."""

import datetime as dt

import django_filters
from django.db.models import Count, Q

from caremarket.core import clock
from caremarket.geography.models import Area
from caremarket.govuk.lists import ListFilter, sorting
from caremarket.reference.models import ServiceType

from .models import CareRequirement

WAITING = "waiting"  # every requirement not yet awarded or cancelled: the queue's work
EVERY = "every"
DONE = (CareRequirement.Status.AWARDED, CareRequirement.Status.CANCELLED)


class BrokerageFilter(ListFilter):
    q = django_filters.CharFilter(label="Search", method="search",
                                  help_text="A CR- number, or the citizen's last name or council record number")
    status = django_filters.ChoiceFilter(label="Status", method="by_status", empty_label=None, choices=[])
    urgency = django_filters.ChoiceFilter(label="Urgency", choices=CareRequirement.Urgency.choices, empty_label="Any")
    service_type = django_filters.ModelChoiceFilter(label="Type of care", queryset=ServiceType.objects.order_by("name"),
                                                    empty_label="Any")
    area = django_filters.ModelChoiceFilter(label="Area", queryset=Area.objects.all(), empty_label="Any")
    waiting_days = django_filters.NumberFilter(label="Waiting longer than (days)", method="waiting_longer_than",
                                               min_value=0, max_value=3650)
    sort = sorting({"waiting": "raised_at", "starts": "start_on", "closes": "closes_at"})

    defaults = {"status": WAITING}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        counts = dict(CareRequirement.objects.values_list("status").annotate(n=Count("pk")))
        waiting = sum(n for status, n in counts.items() if status not in DONE)
        self.filters["status"].extra["choices"] = (
            [(WAITING, f"Waiting: not yet awarded ({waiting:,})")]
            + [(value, f"{label} ({counts.get(value, 0):,})") for value, label in CareRequirement.Status.choices]
            + [(EVERY, "Every requirement")])

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(reference__iexact=value) | Q(citizen__reference__iexact=value)
                               | Q(citizen__family_name__iexact=value))

    def by_status(self, queryset, name, value):
        if value == WAITING:
            return queryset.exclude(status__in=DONE)
        return queryset if value == EVERY else queryset.filter(status=value)

    def waiting_longer_than(self, queryset, name, value):
        return queryset.filter(raised_at__lt=clock.now() - dt.timedelta(days=int(value)))
