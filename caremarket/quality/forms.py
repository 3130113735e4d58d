from django import forms

from caremarket.govuk.forms import GovukFormMixin, date_field
from caremarket.organisations.forms import ChooseCouncil
from caremarket.organisations.models import Organisation

from .models import RATING_CHOICES, CustomerFeedback, Inspection, Intelligence


class InspectionForm(GovukFormMixin, forms.Form):
    prefix = "inspection"  # several forms share the service page

    source = forms.ChoiceField(label="Who inspected",
                               choices=[("cqc", "Care Quality Commission"), ("council", "The council"), ("nhs", "NHS")])
    kind = forms.ChoiceField(label="Kind of inspection", choices=Inspection.Kind.choices, widget=forms.RadioSelect)
    outcome = forms.CharField(label="Outcome", required=False, max_length=40,
                              help_text="In the inspecting body's own words, for example Good, Silver or Amber. "
                                        "Leave it blank for a council inspection scored below.")
    inspected_on = date_field("Date of the inspection")

    def __init__(self, *args, standards, **kwargs):
        super().__init__(*args, **kwargs)
        self.standards = standards
        for standard in standards:
            self.fields[f"score-{standard['code']}"] = forms.TypedChoiceField(
                label=standard["name"], required=False, coerce=int, empty_value=None,
                choices=[("", "Not scored")] + RATING_CHOICES)

    def scores(self) -> dict:
        found = {s["code"]: self.cleaned_data[f"score-{s['code']}"] for s in self.standards}
        return {k: v for k, v in found.items() if v is not None}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("outcome") and not self.scores():
            self.add_error("outcome", "Enter the outcome, or score the core standards")
        return cleaned


class PqasForm(GovukFormMixin, ChooseCouncil):
    prefix = "pqas"  # several forms share the service page

    self_rating = forms.TypedChoiceField(label="The rating your statement gives your service", coerce=int,
                                         choices=RATING_CHOICES, widget=forms.RadioSelect,
                                         error_messages={"required": "Choose the rating your statement gives"})
    statement = forms.CharField(label="Your statement", widget=forms.Textarea(attrs={"rows": 6}),
                                help_text="How you meet the contract and the core standards, where you do not yet, "
                                          "and what you are doing about it",
                                error_messages={"required": "Enter your statement"})


class IntelligenceForm(GovukFormMixin, forms.Form):
    prefix = "intelligence"  # several forms share the service page

    kind = forms.ChoiceField(label="What happened", choices=Intelligence.Kind.choices)
    occurred_on = date_field("Date it happened")
    description = forms.CharField(label="Details", widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "Enter the details"})


class ChallengeForm(GovukFormMixin, ChooseCouncil):
    prefix = "challenge"  # several forms share the service page

    grounds = forms.CharField(label="Why do you think the rating is wrong?", widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "Say why you think the rating is wrong"})


class ChallengeDecisionForm(GovukFormMixin, forms.Form):
    prefix = "decision"  # several forms share the service page

    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect,
                                 choices=[("upheld", "Uphold the challenge"), ("rejected", "Do not uphold it")])
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Give the reason for the decision"})


class ActionForm(GovukFormMixin, forms.Form):
    prefix = "action"  # several forms share the service page

    description = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 2}),
                                  error_messages={"required": "Describe the action"})
    due_on = date_field("Date it will be done by")


class FalsifiedForm(GovukFormMixin, forms.Form):
    prefix = "falsified"  # several forms share the service page

    reason = forms.CharField(label="What could not be validated", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say what could not be validated"})


class FeedbackForm(GovukFormMixin, forms.Form):
    prefix = "feedback"  # several forms share the service page

    source = forms.ChoiceField(label="Where it comes from", choices=CustomerFeedback.Source.choices,
                               widget=forms.RadioSelect)
    received_on = date_field("Date received")
    would_recommend = forms.TypedChoiceField(
        label="Would they recommend the service to friends and family?", required=False, coerce=lambda v: v == "yes",
        empty_value=None, choices=[("", "Not asked"), ("yes", "Yes"), ("no", "No")])
    overall_experience = forms.TypedChoiceField(
        label="Overall experience", required=False, coerce=int, empty_value=None,
        choices=[("", "Not given")] + [(n, f"{n} out of 5") for n in range(5, 0, -1)])
    outcomes_met = forms.TypedChoiceField(
        label="Review: are the citizen's outcomes being met?", required=False, coerce=lambda v: v == "yes",
        empty_value=None, choices=[("", "Not a review"), ("yes", "Yes"), ("no", "No")])
    comment = forms.CharField(label="Comment", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AssignInspectionForm(GovukFormMixin, forms.Form):
    prefix = "assign"

    assessor = forms.ModelChoiceField(label="Independent quality assessor", queryset=Organisation.objects.filter(
        kind=Organisation.Kind.ASSESSOR).order_by("name"), empty_label="Choose an assessor",
        error_messages={"required": "Choose the assessor to give the inspection to",
                        "invalid_choice": "Choose one of the assessors listed"})
    due_on = date_field("Inspect by", example="31/12/2026")


class AssignedInspectionForm(InspectionForm):
    """An assessor's inspection: on the council's behalf, so its source and kind are not asked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["source"], self.fields["kind"]
        self.order_fields(["inspected_on", *(f"score-{s['code']}" for s in self.standards), "outcome"])
        self.fields["outcome"].help_text = ("Score the core standards below (the outcome is the lowest score), or enter "
                                            "the rating given, for example Silver")
