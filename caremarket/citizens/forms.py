from django import forms

from caremarket.govuk.forms import GovukFormMixin


class DecideChangeForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect, choices=[
        ("accept", "Accept: write the change to the assessment"),
        ("reject", "Reject: keep the assessment as it is")], error_messages={"required": "Choose a decision"})
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say why"})
