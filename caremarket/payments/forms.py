from django import forms
from django.conf import settings

from caremarket.govuk.forms import BoundedFileField, GovukFormMixin

from .queries import ANSWERS_FILE_MOST_BYTES


class VisitUploadForm(GovukFormMixin, forms.Form):
    period = forms.ModelChoiceField(label="Payment period", queryset=None, empty_label="Choose a period",
                                    error_messages={"required": "Choose the period the visits are in"})
    file = BoundedFileField(label="Call-monitoring file (CSV)", max_bytes=lambda: settings.VISIT_FILE_MAX_BYTES,
                            too_large_hint=", so send the period in smaller files (a week at a time, say)",
                            help_text="One row per visit, with the header shown above",
                            error_messages={"required": "Choose the CSV file of visits"})
    keep_valid_rows = forms.TypedChoiceField(
        label="If some rows are wrong", widget=forms.RadioSelect, coerce=lambda value: value == "yes",
        choices=[("yes", "Keep the valid rows and tell me which are wrong"),
                 ("no", "Refuse the whole file so that I can send it again")],
        initial="yes", error_messages={"required": "Choose what happens when some rows are wrong"})

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file")
        return uploaded


class AnswerForm(GovukFormMixin, forms.Form):
    answer = forms.CharField(label="What happened on this visit", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say what happened on this visit"})
    claimed_minutes = forms.IntegerField(label="Minutes you ask to be paid (optional)", required=False,
                                         min_value=1, max_value=1440,
                                         help_text="Leave blank to ask for the planned time")


class AnswerSelectedForm(GovukFormMixin, forms.Form):
    """One answer for the queries a provider ticks on its list (the same thing happened on each:
    a carer's phone that failed all week)."""

    queries = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple,
                                             error_messages={"required": "Select the queries to answer",
                                                             "invalid_choice": "A selected query is not yours to "
                                                                               "answer, or is settled"})
    answer = forms.CharField(label="What happened on the selected visits", widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say what happened on the selected visits"},
                             help_text="Each selected query gets this answer, asking for the planned time")

    def __init__(self, *args, waiting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queries"].queryset = waiting

    @property
    def answer_field(self):
        """The answer box, laid out under the list's table with its GOV.UK classes and error link."""
        self.get_context()
        return self["answer"]


class AnswersFileForm(GovukFormMixin, forms.Form):
    file = BoundedFileField(label="Your answers, as a CSV file", max_bytes=ANSWERS_FILE_MOST_BYTES,
                            help_text="One row for each queried visit, under the header shown above")


class SettleForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect, choices=[
        ("accept", "Accept the provider's claim"), ("close", "Pay the visit as priced")],
        error_messages={"required": "Choose a decision"})
    resolution = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 2}),
                                 error_messages={"required": "Say why"})

