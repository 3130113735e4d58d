"""The organisation list's search, filters and sort order."""

import django_filters

from caremarket.geography.models import Area
from caremarket.govuk.lists import ListFilter, sorting

from .councils import several_councils
from .models import Organisation, managed_by


class OrganisationFilter(ListFilter):
    q = django_filters.CharFilter(label="Name", field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label="Kind", choices=Organisation.Kind.choices, empty_label="All kinds")
    area = django_filters.ModelChoiceFilter(label="Has a service in", field_name="locations__area", distinct=True,
                                            queryset=Area.objects.all(), empty_label="Any area")
    mine = django_filters.BooleanFilter(label="Only those I manage", method="managed_by_me",
                                        widget=django_filters.widgets.forms.CheckboxInput)
    sort = sorting({"name": "name", "joined": "created_at"})

    def managed_by_me(self, queryset, name, value):
        return queryset.filter(pk__in=managed_by(self.request.user)) if value else queryset


class CouncilListFilter(ListFilter):
    """A list that can hold several councils' records (a provider's packages and invoices): a
    filter by council, offered to someone outside a council when the install runs more than
    one; council staff see only their own council's records anyway."""

    council = django_filters.ModelChoiceFilter(
        label="Council", queryset=Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).order_by("name"),
        empty_label="Any")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        # Decided once: the list's template asks on every row.
        self.shows_councils = bool(user and not user.is_council and several_councils())
        if not self.shows_councils:
            del self.filters["council"]

