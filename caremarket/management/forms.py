from django import forms

from caremarket.accounts.models import User
from caremarket.accounts.roles import COUNCIL_ROLES
from caremarket.govuk.forms import GovukFormMixin, date_field

from .models import ContactEntry
from .timeline import KINDS


class ContactForm(GovukFormMixin, forms.Form):
    """A contact logged, with an action agreed (optional)."""

    kind = forms.ChoiceField(label="What was it", choices=ContactEntry.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose what kind of contact it was"})
    happened_on = date_field("Date")
    summary = forms.CharField(label="Summary", max_length=200, error_messages={"required": "Give a summary"})
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label="A file (optional)", required=False, help_text="A letter, minutes or a report")
    action = forms.CharField(label="Action agreed (optional)", required=False, max_length=300)
    action_owner = forms.ModelChoiceField(label="Who will do it", required=False, queryset=User.objects.none())
    action_due_on = date_field("Action due by", required=False, example="15/1/2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_owner"].queryset = User.objects.filter(role__in=COUNCIL_ROLES, is_active=True) \
            .order_by("last_name", "first_name")

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
    owner = forms.ModelChoiceField(label="Who will do it", queryset=User.objects.none(),
                                   error_messages={"required": "Choose who will do the action"})
    due_on = date_field("Due by", example="15/1/2027")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(role__in=COUNCIL_ROLES, is_active=True) \
            .order_by("last_name", "first_name")


class ReviewHeldForm(GovukFormMixin, forms.Form):
    held_on = date_field("Date it was held")
    notes = forms.CharField(label="What was discussed and agreed", widget=forms.Textarea(attrs={"rows": 5}),
                            error_messages={"required": "Record what was discussed and agreed"})


class TimelineFilter(GovukFormMixin, forms.Form):
    kinds = forms.MultipleChoiceField(label="Show", required=False, choices=list(KINDS.items()),
                                      widget=forms.CheckboxSelectMultiple)
    since = date_field("From", required=False, example="1/4/2026")
    until = date_field("To", required=False, example="31/3/2027")
