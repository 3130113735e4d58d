from decimal import Decimal

from django import forms

from caremarket.govuk.forms import GovukFormMixin


def _percent(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=f"{label} (%)", max_digits=6, decimal_places=2, min_value=-50, max_value=50,
                              error_messages={"required": f"Enter the {label}"}, **kwargs)


class ReviewForm(GovukFormMixin, forms.Form):
    """The price review's inputs; a staff-share field is added for each service in the schedule."""

    cpi_percent = _percent("CPI")
    cpih_percent = _percent("CPIH")
    index = forms.ChoiceField(label="Inflation index for costs other than staff", widget=forms.RadioSelect,
                              choices=[("cpih", "CPIH"), ("cpi", "CPI")], initial="cpih")
    nlw_change_percent = _percent("National Living Wage change")
    pension_ni_percent = _percent("Pension and National Insurance change",
                                  help_text="As a percentage of pay")
    affordability_cap_percent = _percent("Affordability cap", help_text="No service's uplift is higher")
    regional_percent = _percent("Regional comparison", required=False,
                                help_text="Neighbouring councils' average fee change, for the record")

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = services
        for service in services:
            self.fields[f"staff_share_{service.code}"] = forms.DecimalField(
                label=f"Staff share of costs: {service.name}", min_value=0, max_value=1, decimal_places=2,
                initial=Decimal("0.60"), help_text="From the open-book returns, 0 to 1",
                error_messages={"required": f"Enter the staff share for {service.name}"})

    def staff_share(self) -> dict[str, Decimal]:
        return {s.code: self.cleaned_data[f"staff_share_{s.code}"] for s in self.services}
