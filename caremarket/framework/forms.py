from django import forms

from caremarket.core.cleaning import whole_number
from caremarket.geography.postcodes import PostcodeError, normalise
from caremarket.govuk.forms import GovukFormMixin, date_field
from caremarket.organisations.contact import REQUIRED, missing_message, phone_number
from caremarket.organisations.models import Organisation

from .models import Application, DocumentType


class CompanyForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "companies_house_number", "cqc_provider_id", "address", "postcode", "email", "phone"]
        labels = {"name": "Registered name", "email": "Email address", "phone": "Telephone number"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REQUIRED:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = missing_message(name)

    def clean_postcode(self):
        try:
            return normalise(self.cleaned_data["postcode"])
        except PostcodeError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_phone(self):
        if not self.cleaned_data["phone"]:
            return ""
        try:
            return phone_number(self.cleaned_data["phone"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


class LocationForm(GovukFormMixin, forms.Form):
    cqc_location_id = forms.RegexField(
        label="CQC location ID", regex=r"^1-\d{5,12}$", help_text="For example 1-125856395",
        error_messages={"required": "Enter the CQC location ID", "invalid": "Enter a CQC location ID like 1-125856395"})


class SectionsForm(GovukFormMixin, forms.Form):
    sections = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Sections you are applying for",
        help_text="Select every service, area and need group you can provide",
        error_messages={"required": "Select at least one section"})

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].queryset = framework.sections.select_related("service_type", "area", "need_group")


class DeclarationsForm(GovukFormMixin, forms.Form):
    """One question a declaration: nothing to declare, or the details to declare."""

    CHOICES = [("none", "Nothing to declare"), ("declare", "I need to declare something")]

    def __init__(self, *args, criteria, initial_answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            answer = (initial_answers.get(criterion.code) or "").strip()
            self.fields[criterion.code] = forms.ChoiceField(
                label=criterion.name, choices=self.CHOICES, widget=forms.RadioSelect,
                initial="none" if answer.lower() == "none" else ("declare" if answer else None),
                error_messages={"required": f"Say whether you have anything to declare: {criterion.name.lower()}"})
            self.fields[f"{criterion.code}-details"] = forms.CharField(
                label=f"Details: {criterion.name.lower()}", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                initial=answer if answer.lower() != "none" else "")

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            if cleaned.get(criterion.code) == "declare" and not cleaned.get(f"{criterion.code}-details", "").strip():
                self.add_error(f"{criterion.code}-details", f"Give the details of what you declare: "
                                                            f"{criterion.name.lower()}")
        return cleaned

    def answers(self) -> dict:
        return {c.code: "none" if self.cleaned_data[c.code] == "none"
                else self.cleaned_data[f"{c.code}-details"].strip() for c in self.criteria}


class DocumentForm(GovukFormMixin, forms.Form):
    document_type = forms.ModelChoiceField(queryset=DocumentType.objects.all(), label="What is it?",
                                           empty_label="Choose the kind of evidence",
                                           error_messages={"required": "Choose the kind of evidence"})
    file = forms.FileField(label="File", help_text="A PDF, PNG or JPEG, smaller than 10 MB", required=False)
    expires_on = date_field("Expiry date", example="31/03/2027", required=False)


class BankDetailsForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Application
        fields = ["bank_account_name", "bank_sort_code", "bank_account_number"]
        labels = {"bank_account_name": "Name on the account", "bank_sort_code": "Sort code",
                  "bank_account_number": "Account number"}
        help_texts = {"bank_sort_code": "Must be 6 digits long", "bank_account_number": "Must be 8 digits long"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = True
            field.error_messages["required"] = f"Enter the {field.label.lower()}"

    def clean_bank_sort_code(self):
        digits = "".join(c for c in self.cleaned_data["bank_sort_code"] if c in "0123456789")
        if len(digits) != 6 or len(digits) != len(self.cleaned_data["bank_sort_code"].replace("-", "").replace(" ", "")):
            raise forms.ValidationError("Enter a valid sort code like 30-94-57")
        return f"{digits[:2]}-{digits[2:4]}-{digits[4:]}"

    def clean_bank_account_number(self):
        number = self.cleaned_data["bank_account_number"].replace(" ", "")
        if whole_number(number) is None or len(number) != 8:
            raise forms.ValidationError("Enter a valid account number like 00733445")
        return number


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect,
                                 choices=[("approve", "Approve"), ("reject", "Do not approve")],
                                 error_messages={"required": "Choose whether to approve the application"})
    reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Needed when you do not approve, or when you decide against the automatic "
                                       "assessment. Recorded in the audit trail and shown to the provider.")


class JoinForm(GovukFormMixin, forms.Form):
    """The council a framework's lead council asks to join it (one not yet asked)."""

    council = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Council to ask",
                                     error_messages={"required": "Choose the council to ask",
                                                     "invalid_choice": "Choose a council not yet asked"})

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = (Organisation.objects.filter(kind=Organisation.Kind.COUNCIL)
                                           .exclude(pk=framework.council_id)
                                           .exclude(pk__in=framework.partners.values("council")).order_by("name"))
