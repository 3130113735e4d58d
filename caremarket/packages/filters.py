"""The care package list's search, filters and sort order."""

import django_filters
from django.db.models import Q

from caremarket.accounts.permissions import can
from caremarket.geography.models import Area
from caremarket.govuk.lists import sorting
from caremarket.organisations.filters import CouncilListFilter
from caremarket.reference.models import ServiceType

from .models import CarePackage


class CarePackageFilter(CouncilListFilter):
    q = django_filters.CharFilter(label="Search", method="search",
                                  help_text="A CP- or CR- number, or part of the provider's name")
    status = django_filters.ChoiceFilter(label="Status", choices=CarePackage.Status.choices, empty_label="Any")
    service_type = django_filters.ModelChoiceFilter(
        label="Type of care", field_name="requirement__service_type", queryset=ServiceType.objects.order_by("name"),
        empty_label="Any")
    area = django_filters.ModelChoiceFilter(label="Area", field_name="requirement__area",
                                            queryset=Area.objects.all(), empty_label="Any")
    route = django_filters.ChoiceFilter(label="How it was placed", choices=CarePackage.Route.choices,
                                        empty_label="Any")
    sort = sorting({"reference": "reference", "provider": "organisation__name", "price": "weekly_price_pence",
                    "starts": "start_on"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.council_view:
            self.filters["q"].extra["help_text"] = ("A CP- or CR- number, part of the provider's name, or the "
                                                    "citizen's last name")

    @property
    def council_view(self) -> bool:
        return can(self.request.user, "view_citizens")

    def search(self, queryset, name, value):
        value = value.strip()
        found = (Q(reference__iexact=value) | Q(requirement__reference__iexact=value)
                 | Q(organisation__name__icontains=value))
        if self.council_view:  # a provider never finds a package by a citizen's name
            found |= Q(requirement__citizen__family_name__iexact=value)
        return queryset.filter(found)
