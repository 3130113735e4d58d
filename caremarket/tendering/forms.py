import datetime as dt
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from caremarket.citizens.models import Assessment
from caremarket.core import clock
from caremarket.core.money import MoneyError, to_pence
from caremarket.geography.models import Area, Ward
from caremarket.govuk.forms import GovukFormMixin, date_field
from caremarket.organisations.models import CareLocation
from caremarket.reference.models import NeedGroup, ServiceType

from . import evaluation, offers
from .models import CareRequirement
from .offers import CostBreakdown


class RequirementForm(GovukFormMixin, forms.Form):
    assessment = forms.ModelChoiceField(
        label="Assessment", queryset=Assessment.objects.none(),
        help_text="Start typing the citizen's name or record number",
        widget=forms.Select(attrs={"data-autocomplete": "true"}),
        error_messages={"required": "Choose the assessment this care is for",
                        "invalid_choice": "Choose one of the assessments listed"})
    service_type = forms.ModelChoiceField(label="Service", queryset=ServiceType.objects.filter(is_active=True),
                                          required=False, empty_label="The assessment's",
                                          help_text="The assessment's service, unless you choose another")
    area = forms.ModelChoiceField(label="Area", queryset=Area.objects.all(), required=False,
                                  empty_label="Where the citizen lives",
                                  help_text="The area of the citizen's ward, unless you choose another")
    ward = forms.ModelChoiceField(label="Ward (optional)", queryset=Ward.objects.all(), required=False,
                                  empty_label="No ward", help_text="Start typing the ward's name",
                                  widget=forms.Select(attrs={"data-autocomplete": "true"}))
    need_groups = forms.ModelMultipleChoiceField(label="Needs", queryset=NeedGroup.objects.filter(is_active=True),
                                                 widget=forms.CheckboxSelectMultiple,
                                                 help_text="Select all that apply",
                                                 error_messages={"required": "Choose at least one need"})
    eligible_needs = forms.CharField(label="Eligible needs", widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text="Written so that nobody can be identified from them: providers see this",
                                     error_messages={"required": "Enter the eligible needs"})
    outcomes = forms.CharField(label="Outcomes", widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": "Enter the outcomes the citizen wants"})
    preferences = forms.CharField(label="Preferences (optional)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    weekly_hours = forms.DecimalField(label="Hours of care a week", required=False, min_value=0, max_value=168,
                                      decimal_places=2, help_text="Home support and supported living",
                                      error_messages={"max_value": "Hours a week cannot be more than 168"})
    visit_pattern = forms.CharField(label="Visit pattern (optional)", required=False,
                                    help_text="For example mornings, 7 days, 90 minutes")
    accommodation = forms.CharField(label="Room and bed (optional)", required=False,
                                    help_text="Care homes, for example a ground-floor room")
    start_on = date_field("Date care is needed from", example="30/11/2026")
    urgency = forms.ChoiceField(label="Urgency", choices=CareRequirement.Urgency.choices, widget=forms.RadioSelect,
                                initial=CareRequirement.Urgency.STANDARD)
    medically_fit_on = date_field("Date medically fit to leave hospital (Quick Discharge)", required=False,
                                  example="23/11/2026")
    medically_fit_time = forms.TimeField(
        label="Time medically fit to leave hospital", required=False, input_formats=["%H:%M", "%H.%M"],
        help_text="For example 14:30, on the 24-hour clock", widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Enter the time on the 24-hour clock, like 14:30"})
    asked_for_more_expensive = forms.BooleanField(
        label="The citizen asked for more expensive accommodation or services beyond their eligible needs",
        required=False)

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = assessments
        self.fields["assessment"].label_from_instance = lambda a: f"{a.citizen} – {a.service_type}, {a.assessed_on:%d %b %Y}"

    def clean(self):
        cleaned = super().clean()
        assessment = cleaned.get("assessment")
        if assessment and not cleaned.get("service_type") and "service_type" not in self.errors:
            cleaned["service_type"] = assessment.service_type
        if assessment and not cleaned.get("area") and "area" not in self.errors:
            ward = cleaned.get("ward") or assessment.citizen.ward
            cleaned["area"] = ward.area if ward else None
            if cleaned["area"] is None:
                self.add_error("area", "The citizen has no ward on record: choose the area where the care is wanted")
        service = cleaned.get("service_type")
        if service and service.setting != "bed_based" and not cleaned.get("weekly_hours"):
            self.add_error("weekly_hours", f"Enter the hours of care a week for {service.name.lower()}")
        on, at = cleaned.pop("medically_fit_on", None), cleaned.pop("medically_fit_time", None)
        if on and at is None and "medically_fit_time" not in self.errors:
            self.add_error("medically_fit_time", "Enter the time the citizen is medically fit to leave hospital")
        elif at is not None and not on and "medically_fit_on" not in self.errors:
            self.add_error("medically_fit_on", "Enter the date the citizen is medically fit to leave hospital")
        cleaned["medically_fit_at"] = dt.datetime.combine(on, at, tzinfo=clock.LONDON) if on and at else None
        if service and service.code == "quick-discharge" and not cleaned["medically_fit_at"] and not (on or at):
            self.add_error("medically_fit_on", "Enter when the citizen is medically fit to leave hospital")
        return cleaned


def money_field(label, required=True):
    return forms.CharField(label=label, required=required, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                           help_text="In pounds a week, for example 250.00",
                           error_messages={"required": f"Enter {label.lower()}"})


class OfferForm(GovukFormMixin, forms.Form):
    location = forms.ModelChoiceField(label="The service that will deliver the care", empty_label="Choose a service",
                                      queryset=CareLocation.objects.none(),
                                      error_messages={"required": "Choose the service that will deliver the care"})
    confirms_needs = forms.BooleanField(label="We can meet the needs in the support plan", required=False)
    outcomes_response = forms.CharField(label="How you will support the citizen's outcomes",
                                        widget=forms.Textarea(attrs={"rows": 4}), required=False)
    start_on = date_field("Date you can start", example="30/11/2026", required=False)
    spare_weekly_hours = forms.DecimalField(label="Spare hours a week you could take on (optional)", required=False,
                                            min_value=0, decimal_places=2)

    def __init__(self, *args, organisation, earliest_start, fixed_weekly_pence: int | None,
                 accommodation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.earliest_start, self.fixed_weekly_pence = earliest_start, fixed_weekly_pence
        self.open_book = open_book = fixed_weekly_pence is None
        services = organisation.locations.filter(registration="registered")
        self.fields["location"].queryset = services
        if len(services) == 1:
            self.fields["location"].initial = services[0]
        if open_book:
            self.fields["care_hours"] = forms.DecimalField(label="Care staff hours a week", decimal_places=2,
                                                           error_messages={"required": "Enter the care staff hours"})
            self.fields["hourly_rate"] = money_field("Hourly rate for care staff")
            self.fields["hourly_rate"].help_text = "In pounds an hour, for example 13.50"
            self.fields["on_costs"] = money_field("On-costs (national insurance, pension, holiday)")
            self.fields["overheads"] = money_field("Overheads")
            self.fields["surplus"] = money_field("Surplus")
        if accommodation:  # a fixed-fee care home, and the citizen asked for more expensive accommodation
            self.fields["accommodation_offered"] = forms.CharField(
                label="The accommodation the citizen asked for that you offer (optional)", required=False,
                max_length=300, help_text="For example a larger room with a garden view")
            self.fields["accommodation_price"] = money_field("Its price on top of the council's fee", required=False)
            self.fields["accommodation_price"].help_text = ("In pounds a week. The council pays its fixed fee; "
                                                            "this is paid by a third-party top-up")

    def clean(self):
        cleaned = super().clean()
        for name in ("hourly_rate", "on_costs", "overheads", "surplus", "accommodation_price"):
            if cleaned.get(name):
                try:
                    cleaned[name] = to_pence(cleaned[name])
                except MoneyError as problem:
                    self.add_error(name, f"{self.fields[name].label}: {problem}")
        self._add_rule_errors_not_yet_shown(cleaned)
        return cleaned

    def _add_rule_errors_not_yet_shown(self, cleaned) -> None:
        """The offer rules (tendering.offers) on what was entered, so that a person sees every
        mistake at once, not the rules' only after the fields are right. A field already in
        error keeps its own message."""
        breakdown = self.breakdown(cleaned)
        errors = offers.check(
            confirms_needs=cleaned.get("confirms_needs", False), outcomes_response=cleaned.get("outcomes_response", ""),
            start_on=cleaned.get("start_on"), earliest_start=self.earliest_start, breakdown=breakdown,
            fixed_weekly_pence=self.fixed_weekly_pence,
            accommodation_price_pence=cleaned.get("accommodation_price") or 0,
            accommodation_offered=cleaned.get("accommodation_offered") or "",
            accommodation_asked_for="accommodation_price" in self.fields)
        if self.open_book and breakdown is None:
            errors.pop("cost_breakdown", None)  # a figure is missing or wrong, and says so on its own field
        self.add_rule_errors({rule_name: [message] for rule_name, message in errors.items()
                              if self.FIELD_FOR_RULE.get(rule_name, rule_name) not in self.errors})

    def breakdown(self, cleaned=None) -> CostBreakdown | None:
        """The open-book cost breakdown entered, or None (fixed fee, or a figure not given)."""
        c = self.cleaned_data if cleaned is None else cleaned
        names = ("care_hours", "hourly_rate", "on_costs", "overheads", "surplus")
        if not self.open_book or any(not isinstance(c.get(name), (int, Decimal)) for name in names):
            return None
        return CostBreakdown(care_hours=c["care_hours"], hourly_rate_pence=c["hourly_rate"],
                             on_costs_pence=c["on_costs"], overheads_pence=c["overheads"],
                             surplus_pence=c["surplus"])

    # The rules (tendering.offers) name fields by their pence names; the form shows pounds.
    FIELD_FOR_RULE = {"hourly_rate_pence": "hourly_rate", "on_costs_pence": "on_costs",
                      "accommodation_price_pence": "accommodation_price",
                      "overheads_pence": "overheads", "surplus_pence": "surplus", "cost_breakdown": None}

    def add_rule_errors(self, errors: dict[str, list[str]]) -> None:
        self.add_service_errors(ValidationError(errors), self.FIELD_FOR_RULE)


class ChoiceForm(GovukFormMixin, forms.Form):
    offer = forms.TypedChoiceField(label="The offer the citizen chose", coerce=int, widget=forms.RadioSelect,
                                   error_messages={"required": "Choose the offer the citizen chose"})
    top_up_payer = forms.CharField(label="Who pays the top-up (if there is one)", required=False, max_length=200,
                                   help_text="Name and relationship, for example Alan Smith, son")

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = offers


class HandBackForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label="Provider handing packages back", queryset=None,
                                          widget=forms.Select(attrs={"data-autocomplete": "true"}),
                                          error_messages={"required": "Choose the provider"})
    reason = forms.CharField(label="Why", max_length=200, help_text="For example leaving the market, deregistered by "
                                                                    "the CQC, rated Inadequate",
                             error_messages={"required": "Say why the packages are handed back"})

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class CapacityForm(GovukFormMixin, forms.Form):
    prefix = "capacity"
    spare_weekly_hours = forms.DecimalField(label="Spare home-support hours a week you can take on", min_value=0,
                                            max_value=100000, decimal_places=2,
                                            error_messages={"required": "Enter your spare hours a week"})


class CancelRequirementForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why the care is no longer needed", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="For the council's record; providers are not told why",
                             error_messages={"required": "Say why the care is no longer needed"})


class ScoreOffersForm(GovukFormMixin, forms.Form):
    """A score on the policy's scale and its reason, for each offer and each criterion a person
    scores (``criteria``: the stored method's, not scored by the rating)."""

    def __init__(self, *args, offers, criteria, scale_top: int, given: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, f"{n}: {evaluation.SCALE_MEANINGS[n]}" if scale_top == evaluation.SCALE_TOP else str(n))
                   for n in range(scale_top + 1)]
        self._groups, self._keys = [], []
        for label, offer in offers:
            rows = []
            for criterion in criteria:
                name = f"{offer.pk}-{criterion['key']}"
                score, reason = given.get((offer.pk, criterion["key"]), (None, ""))
                self.fields[f"score-{name}"] = forms.TypedChoiceField(
                    label=criterion["name"], coerce=int, choices=choices, widget=forms.RadioSelect, initial=score,
                    help_text=criterion["guidance"],
                    error_messages={"required": f"{label}: choose a score for {criterion['name'][:1].lower()}"
                                                f"{criterion['name'][1:]}"})
                self.fields[f"reason-{name}"] = forms.CharField(
                    label="Why this score", widget=forms.Textarea(attrs={"rows": 3}), initial=reason, max_length=2000,
                    error_messages={"required": f"{label}: give the reason for the score for "
                                                f"{criterion['name'][:1].lower()}{criterion['name'][1:]}"})
                rows.append((self[f"score-{name}"], self[f"reason-{name}"]))
                self._keys.append((offer.pk, criterion["key"], name))
            self._groups.append((label, offer, rows))

    @property
    def groups(self):
        """Each offer's fields, laid out by the page itself, with their GOV.UK classes and error links."""
        self.get_context()
        return self._groups

    def scores(self) -> dict[int, dict[str, tuple[int, str]]]:
        found: dict[int, dict] = {}
        for offer_id, key, name in self._keys:
            found.setdefault(offer_id, {})[key] = (self.cleaned_data[f"score-{name}"],
                                                   self.cleaned_data[f"reason-{name}"])
        return found
