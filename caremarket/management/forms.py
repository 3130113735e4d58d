from django import forms

from caremarket.accounts.models import User
from caremarket.accounts.roles import COUNCIL_ROLES
from caremarket.govuk.forms import BoundedFileField, GovukFormMixin, PoundsField, date_field
from caremarket.organisations.forms import ChooseCouncil
from caremarket.periods.calendar import financial_year_label
from caremarket.reference.models import ServiceType

from . import open_book
from .models import ContactEntry
from .timeline import KINDS


CONTACT_FILE_MAX_BYTES = 10 * 1024 * 1024


class PersonChoiceField(forms.ModelChoiceField):
    """Choosing a person: each named with their role and team, so two of a name are told apart."""

    def label_from_instance(self, obj):
        return obj.name_role_and_team


def _council_people():
    return User.objects.filter(role__in=COUNCIL_ROLES, is_active=True).select_related("organisation") \
        .order_by("last_name", "first_name")


class ContactForm(GovukFormMixin, forms.Form):
    """A contact logged, with an action agreed (optional)."""

    kind = forms.ChoiceField(label="What was it", choices=ContactEntry.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose what kind of contact it was"})
    happened_on = date_field("Date")
    summary = forms.CharField(label="Summary", max_length=200, error_messages={"required": "Give a summary"})
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    file = BoundedFileField(label="A file (optional)", required=False, max_bytes=CONTACT_FILE_MAX_BYTES,
                            help_text="A letter, minutes or a report, up to 10 MB")
    action = forms.CharField(label="Action agreed (optional)", required=False, max_length=300)
    action_owner = PersonChoiceField(label="Who will do it", required=False, queryset=User.objects.none())
    action_due_on = date_field("Action due by", required=False, example="15/1/2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_owner"].queryset = _council_people()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action"):
            if not cleaned.get("action_owner"):
                self.add_error("action_owner", "Choose who will do the action")
            if not cleaned.get("action_due_on"):
                self.add_error("action_due_on", "Enter the date the action is due by")
        return cleaned


class ActionForm(GovukFormMixin, forms.Form):
    description = forms.CharField(label="Action", max_length=300, error_messages={"required": "Describe the action"})
    owner = PersonChoiceField(label="Who will do it", queryset=User.objects.none(),
                                   error_messages={"required": "Choose who will do the action"})
    due_on = date_field("Due by", example="15/1/2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _council_people()


class ReviewHeldForm(GovukFormMixin, forms.Form):
    held_on = date_field("Date it was held")
    notes = forms.CharField(label="What was discussed and agreed", widget=forms.Textarea(attrs={"rows": 5}),
                            error_messages={"required": "Record what was discussed and agreed"})


class TimelineFilter(GovukFormMixin, forms.Form):
    kinds = forms.MultipleChoiceField(label="Show", required=False, choices=list(KINDS.items()),
                                      widget=forms.CheckboxSelectMultiple)
    since = date_field("From", required=False, example="1/4/2026")
    until = date_field("To", required=False, example="31/3/2027")


class ReturnChoiceForm(GovukFormMixin, ChooseCouncil):
    """Which service and year a return is for: the figures asked for next depend on the service."""

    service_type = forms.ModelChoiceField(label="Service", queryset=ServiceType.objects.filter(is_active=True),
                                          empty_label="Choose a service",
                                          error_messages={"required": "Choose the service the return is for"})
    start_year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=[],
                                        error_messages={"required": "Choose the year the return is for"})

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_year"].choices = [(year, financial_year_label(year)) for year in years]


class CostOfCareForm(GovukFormMixin, forms.Form):
    """A year's open-book return for one service: a care home's asks for its beds and occupancy,
    home support's does not; open_book.problems says what is missing, field by field."""

    staff_costs_pence = PoundsField(label=open_book.LABELS["staff_costs_pence"], required=False,
                                    help_text="For the year, in pounds, for example 1250000.00")
    on_costs_pence = PoundsField(label=open_book.LABELS["on_costs_pence"], required=False, help_text="In pounds")
    overheads_pence = PoundsField(label=open_book.LABELS["overheads_pence"], required=False, help_text="In pounds")
    surplus_pence = PoundsField(label=open_book.LABELS["surplus_pence"], required=False,
                                help_text="In pounds; a deficit with a minus sign, for example -12000.00")
    units_delivered = forms.DecimalField(required=False, max_digits=12, decimal_places=2)
    occupancy_percent = forms.DecimalField(label="Occupancy", required=False, max_digits=5, decimal_places=2,
                                           help_text="The year's average, as a percentage")
    beds = forms.IntegerField(label="Registered beds", required=False)

    def __init__(self, *args, bed_based: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.bed_based = bed_based
        units = self.fields["units_delivered"]
        if bed_based:
            units.label, units.help_text = "Bed-weeks filled", "Beds filled each week of the year, added up"
        else:
            units.label, units.help_text = "Hours of care delivered", "In the year, as call monitoring shows them"
            del self.fields["occupancy_percent"], self.fields["beds"]

    def clean(self):
        """Every problem at once: the rule's too, for each field that could be read."""
        cleaned = super().clean()
        for name, message in open_book.problems(self.figures(), bed_based=self.bed_based).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def figures(self) -> open_book.Figures:
        return open_book.Figures(**{name: self.cleaned_data.get(name) for name in (
            "staff_costs_pence", "on_costs_pence", "overheads_pence", "surplus_pence", "units_delivered",
            "occupancy_percent", "beds")})
