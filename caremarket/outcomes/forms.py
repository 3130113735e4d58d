from django import forms

from caremarket.govuk.forms import BoundedFileField, GovukFormMixin, date_field

from . import wellbeing
from .contracts import RETURN_FILE_MOST_BYTES
from .models import Carer, CarerActivity, Listing, WellbeingAssessment

YES_NO = [(True, "Yes"), (False, "No")]


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, coerce=lambda v: v == "True",
                                  error_messages={"required": f"Answer: {label.lower()}?"})


class CarerForm(GovukFormMixin, forms.ModelForm):
    """A carer's registration, or a change to it."""

    born_on = date_field("Date of birth", example="23/6/1968")
    registered_on = date_field("Date registered", example="14/10/2026")
    assessed_on = date_field("Date their needs were assessed", required=False, example="21/10/2026")
    hours_a_week = forms.DecimalField(label="Hours of care a week", min_value=0, max_value=168, decimal_places=1,
                                      max_digits=4, help_text="From 0 to 168 (every hour of the week)",
                                      error_messages={"required": "Enter the hours of care they give a week",
                                                      "min_value": "Hours of care a week cannot be less than 0",
                                                      "max_value": "Hours of care a week cannot be more than 168, "
                                                                   "the hours in a week",
                                                      "invalid": "Hours of care a week must be a number, like 35 "
                                                                 "or 12.5"})
    lives_alone_with_cared_for = _yes_no("Do they live alone with the person they care for")
    has_own_health_problems = _yes_no("Do they have significant health problems or a disability of their own")
    cared_for_will_not_cooperate = _yes_no("Does the person cared for refuse or struggle to co-operate with care")
    emergency_response = _yes_no("Are they registered for emergency response")

    class Meta:
        model = Carer
        fields = ["given_name", "family_name", "born_on", "postcode", "email", "cared_for", "hours_a_week",
                  "lives_alone_with_cared_for", "has_own_health_problems", "cared_for_will_not_cooperate",
                  "emergency_response", "registered_on", "assessed_on"]
        labels = {"given_name": "Given name", "family_name": "Family name", "email": "Email address (optional)"}
        error_messages = {
            "given_name": {"required": "Enter the carer's given name"},
            "family_name": {"required": "Enter the carer's family name"},
            "postcode": {"required": "Enter the carer's postcode"},
            "cared_for": {"required": "Say who they care for"},
        }


class WellbeingForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Which assessment is this", choices=WellbeingAssessment.Kind.choices,
                             widget=forms.RadioSelect, error_messages={"required": "Choose baseline or follow-up"})
    assessed_on = date_field("Date of the assessment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(value, f"{value}: {words}") for value, words in wellbeing.SCALE.items()]
        for domain in wellbeing.DOMAINS:
            self.fields[domain.key] = forms.TypedChoiceField(
                label=domain.label, help_text=domain.question, choices=choices, coerce=int,
                widget=forms.RadioSelect, error_messages={"required": f"Choose a score for {domain.label.lower()}"})

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in wellbeing.KEYS}


class ActivityForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What happened", choices=CarerActivity.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose what happened"})
    happened_on = date_field("Date")
    carer = forms.CharField(label="Register number of the carer (for a response)", required=False,
                            help_text="For example C0000123")
    name = forms.CharField(label="Name of the group, support network or GP practice", required=False,
                           max_length=200)
    attending = forms.IntegerField(label="Carers attending (for a group session)", required=False, min_value=1,
                                   max_value=500, error_messages={"min_value": "At least one carer attends a session",
                                                                  "max_value": "No more than 500 attend a session"})


class ReturnFileForm(GovukFormMixin, forms.Form):
    file = BoundedFileField(label="Upload the return as a CSV file", max_bytes=RETURN_FILE_MOST_BYTES,
                            help_text="Two columns with a header row: kpi and figure",
                            error_messages={"required": "Choose the return's CSV file"})


class PoundsField(forms.DecimalField):
    """An amount in pounds and pence, kept as whole pence."""

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_digits=9, decimal_places=2, **kwargs)

    def clean(self, value):
        pounds = super().clean(value)
        return None if pounds is None else int(pounds * 100)


class ListingForm(GovukFormMixin, forms.ModelForm):
    category = forms.ChoiceField(label="What kind of activity", choices=Listing.Category.choices,
                                 widget=forms.RadioSelect, error_messages={"required": "Choose what kind of activity "
                                                                                       "it is"})
    happens_on = date_field("Date", required=False, example="12/6/2027")
    price = PoundsField(label="Price in pounds", help_text="What a voucher pays for one carer, for example 45.00",
                        error_messages={"required": "Enter the price", "invalid": "The price must be in pounds, like "
                                                                                  "45.00"})
    places = forms.IntegerField(label="Places", min_value=1, max_value=1000, help_text="How many carers can book it",
                                error_messages={"required": "Enter how many carers can book it"})

    class Meta:
        model = Listing
        fields = ["title", "category", "description", "where", "happens_on", "price", "places", "is_open"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"title": {"required": "Enter the activity's name"},
                          "description": {"required": "Describe the activity"},
                          "where": {"required": "Say where it happens"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["price"] = self.instance.price_pence / 100

    def save(self, commit=True):
        self.instance.price_pence = self.cleaned_data["price"]
        return super().save(commit)


class BudgetForm(GovukFormMixin, forms.Form):
    starts_on = date_field("First day", example="1/4/2027")
    ends_on = date_field("Last day", example="30/9/2027")
    budget = PoundsField(label="Budget in pounds", error_messages={"required": "Enter the budget"})
    voucher = PoundsField(label="Each voucher in pounds", initial="150.00",
                          error_messages={"required": "Enter a voucher's value"})
    from_age = forms.IntegerField(label="From what age may a carer have a voucher", initial=18, min_value=0,
                                  max_value=120, help_text="Time for Me is for adult carers: young carers have their "
                                                           "own offer",
                                  error_messages={"required": "Enter the age from which a carer may have a voucher"})


class EmailForm(GovukFormMixin, forms.Form):
    email = forms.EmailField(label="Email address", help_text="The one you gave your carers' centre",
                             error_messages={"required": "Enter your email address",
                                             "invalid": "Enter an email address like name@example.com"})


class DismissDuplicateForm(GovukFormMixin, forms.Form):
    why = forms.CharField(label="Why are they two different carers?", max_length=300, widget=forms.Textarea(
        attrs={"rows": 3}), help_text="For example, twins, or a parent and child with the same name: this is kept "
                                      "with the decision",
                          error_messages={"required": "Say why these are two different carers"})


class BookingForm(GovukFormMixin, forms.Form):
    needs_shared = forms.CharField(
        label="Anything the organiser needs to know (optional)", max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example access needs, a telephone number or email for them to reach you, or a name you "
                  "would rather be called. The organiser sees this, your first name and your booking reference; not "
                  "your full name or where you live.")


class CostForm(GovukFormMixin, forms.Form):
    direct_costs = PoundsField(label="Your actual direct costs for the period, in pounds",
                               help_text="As your books show them: staff, travel, supplies; not overheads or margin",
                               error_messages={"required": "Enter your direct costs",
                                               "invalid": "Direct costs must be in pounds, like 125000.00"})
    note = forms.CharField(label="What they are (optional)", required=False, max_length=300)


class ScoresForm(GovukFormMixin, forms.Form):
    """A score from 0 to 1 for each of the alliance's KPIs, with what it rests on."""

    def __init__(self, *args, kpis=(), **kwargs):
        super().__init__(*args, **kwargs)
        for kpi in kpis:
            self.fields[f"kpi_{kpi.pk}"] = forms.DecimalField(
                label=f"{kpi.name} (weight {kpi.weight})", help_text=kpi.measure, min_value=0, max_value=1,
                max_digits=4, decimal_places=3, error_messages={
                    "required": f"Enter a score for {kpi.name}", "min_value": "A score is from 0 to 1",
                    "max_value": "A score is from 0 to 1", "invalid": "A score is a number from 0 to 1, like 0.85"})
            self.fields[f"evidence_{kpi.pk}"] = forms.CharField(label=f"What the score for {kpi.name} rests on",
                                                                required=False, max_length=300)
