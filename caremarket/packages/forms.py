from django import forms

from caremarket.govuk.forms import AcknowledgeForm, GovukFormMixin, PoundsField, date_field

from .models import PackageChange


class ChangeForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What is changing", choices=PackageChange.Kind.choices, widget=forms.RadioSelect,
                             help_text="Suspended: care stops for some days, for example during a hospital stay",
                             error_messages={"required": "Choose what is changing"})
    effective_from = date_field("Date the change applies from")
    effective_to = date_field("Last day of the suspension", required=False)
    weekly_hours = forms.DecimalField(label="New hours a week", required=False, decimal_places=2, max_digits=6,
                                      help_text="Hours or price changes")
    weekly_price = PoundsField(label="New weekly price in pounds", required=False,
                               help_text="Leave blank to price the new hours at the package's hourly rate")
    end_cause = forms.ChoiceField(label="Why the package ended", required=False,
                                  choices=[("", "Choose")] + PackageChange.EndCause.choices)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Say why the package is changing"})


class DecisionForm(AcknowledgeForm):
    """Approve or reject a change; rejecting needs a reason, and approving one with warnings the tick."""

    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect,
                                 choices=[("approve", "Approve the change"), ("reject", "Reject it")],
                                 error_messages={"required": "Choose whether to approve or reject the change"})
    reason = forms.CharField(label="Reason (needed to reject)", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["decision", "reason", "acknowledge"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why the change is rejected")
        return cleaned

    def clean_acknowledge(self):  # warnings are about approving; a rejection needs no tick
        if self.data.get("decision") == "reject":
            return False
        return super().clean_acknowledge()
