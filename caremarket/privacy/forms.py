from django import forms

from caremarket.govuk.forms import GovukFormMixin, date_field

from .models import RetentionRule
from .retention_rules import MOST_YEARS, period_problems


class RetentionRuleForm(GovukFormMixin, forms.ModelForm):
    years = forms.IntegerField(label="Years", min_value=0, max_value=MOST_YEARS, error_messages={
        "required": "Enter how many years", "invalid": "Years must be a whole number, 0 or more",
        "min_value": "Years must be a whole number, 0 or more", "max_value": f"Years must be {MOST_YEARS} or fewer"})
    months = forms.IntegerField(label="And months", min_value=0, max_value=11, initial=0, error_messages={
        "required": "Enter how many months, 0 if none", "invalid": "Months must be a whole number from 0 to 11",
        "min_value": "Months must be a whole number from 0 to 11",
        "max_value": "Months must be a whole number from 0 to 11"})

    class Meta:
        model = RetentionRule
        fields = ["years", "months", "legal_reason", "source"]
        labels = {"legal_reason": "Why the council keeps it this long", "source": "Where the period comes from"}
        error_messages = {"legal_reason": {"required": "Say why the council keeps it this long"},
                          "source": {"required": "Name the law, code or guidance the period comes from"}}

    def clean(self):
        cleaned = super().clean()
        if "years" in cleaned and "months" in cleaned:
            for problem in period_problems(cleaned["years"], cleaned["months"]):
                self.add_error("years", problem)
        return cleaned


WHOM = [("citizen", "A citizen (someone the council arranges care for)"),
        ("carer", "A carer on the carers register")]


class FindPersonForm(GovukFormMixin, forms.Form):
    """The person asking is found by what they gave: their number, or their name and date of
    birth, exactly. Never a list to browse."""

    whom = forms.ChoiceField(label="Who is asking", choices=WHOM, widget=forms.RadioSelect,
                             error_messages={"required": "Choose whether a citizen or a carer is asking"})
    reference = forms.CharField(label="Council record number or carers register number", required=False,
                                max_length=20, help_text="If they gave it. Otherwise give their family name and "
                                                         "date of birth")
    family_name = forms.CharField(label="Family name", required=False, max_length=100)
    born_on = date_field("Date of birth", required=False)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if not cleaned.get("reference", "").strip() and not (cleaned.get("family_name", "").strip()
                                                             and cleaned.get("born_on")):
            self.add_error("reference", "Enter their record number, or their family name and date of birth")
        return cleaned


class LegalHoldForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why the record must be kept", max_length=300, widget=forms.Textarea(
        attrs={"rows": 3}), help_text="For example, a claim, an inquiry or a safeguarding review, with its "
                                      "reference", error_messages={"required": "Say why the record must be kept"})


class ErasureForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="The carer's request", max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="When and how they asked, for the audit trail",
                             error_messages={"required": "Say when and how the carer asked"})
