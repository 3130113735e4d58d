from django import forms

from caremarket.govuk.forms import GovukFormMixin, date_field
from caremarket.organisations.forms import ChooseCouncil
from caremarket.organisations.models import CareLocation

from .models import Incident


class ReportForm(GovukFormMixin, ChooseCouncil):
    location = forms.ModelChoiceField(label="Which service", queryset=CareLocation.objects.none(),
                                      help_text="Start typing the service's name",
                                      widget=forms.Select(attrs={"data-autocomplete": "true"}),
                                      error_messages={"required": "Choose the service it is about",
                                                      "invalid_choice": "Choose one of the services listed"})
    kind = forms.ChoiceField(label="What kind of report", choices=Incident.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Choose what kind of report it is"})
    occurred_on = date_field("Date it happened", example="27/11/2026")
    what_happened = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 5}),
                                    help_text="Refer to people by their role or initials, not their names",
                                    error_messages={"required": "Say what happened"})
    immediate_action = forms.CharField(label="What was done at once to keep people safe", required=False,
                                       widget=forms.Textarea(attrs={"rows": 3}),
                                       help_text="Needed for a serious incident or a safeguarding alert")

    def __init__(self, *args, locations=None, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations if locations is not None else CareLocation.objects.none()
        if council is not None:  # council staff report to their own council
            self.fields["council"].queryset = self.fields["council"].queryset.filter(pk=council)
            self.fields["council"].widget = forms.HiddenInput()


class TriageForm(GovukFormMixin, forms.Form):
    substantiated = forms.TypedChoiceField(
        label="Does the report stand", widget=forms.RadioSelect, coerce=lambda v: v == "yes",
        choices=[("yes", "Yes: investigate it (it counts towards the service's inspection triggers)"),
                 ("no", "No: close it with the reason")],
        error_messages={"required": "Choose whether the report stands"})
    severity = forms.ChoiceField(label="How severe", choices=Incident.Severity.choices, widget=forms.RadioSelect,
                                 error_messages={"required": "Choose how severe it is"})
    notes = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": "Say why you decided as you did"})


class CloseForm(GovukFormMixin, forms.Form):
    findings = forms.CharField(label="What the investigation found", widget=forms.Textarea(attrs={"rows": 4}),
                               error_messages={"required": "Record what the investigation found"})
    learning = forms.CharField(label="The learning", widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": "Record the learning, even if it is that nothing needs "
                                                           "to change"})
