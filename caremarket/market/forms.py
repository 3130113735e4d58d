from django import forms

from caremarket.geography.models import Area
from caremarket.govuk.forms import GovukFormMixin
from caremarket.periods.calendar import financial_year_label
from caremarket.reference.models import ServiceType


class MarketFilter(GovukFormMixin, forms.Form):
    year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=[])
    area = forms.ModelChoiceField(label="Area", required=False, empty_label="Every area",
                                  queryset=Area.objects.order_by("name"))
    service_type = forms.ModelChoiceField(label="Service type", required=False, empty_label="Every service type",
                                          queryset=ServiceType.objects.order_by("name"))

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, financial_year_label(year)) for year in years]
