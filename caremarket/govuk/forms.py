"""Django forms rendered as GOV.UK Design System fields."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates

from caremarket.core import cleaning

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.PasswordInput: "govuk-input govuk-password-input__input",
    forms.FileInput: "govuk-file-upload",
    forms.widgets.Input: "govuk-input",
}


class GovukFormRenderer(DjangoTemplates):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


class GovukFormMixin:
    """Gives each widget its GOV.UK class, the error modifier and the aria link to its error,
    when the form is rendered (so fields a form adds in its own __init__ are included)."""

    def get_context(self):
        for name, field in self.fields.items():
            widget = field.widget
            css = next((c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)), "")
            described_by = [f"{self[name].auto_id}-hint"] if field.help_text else []
            if name in self.errors and css:
                css = f"{css} {css.split()[0]}--error"
                described_by.append(f"{self[name].auto_id}-error")
            if css:
                widget.attrs["class"] = css
            if described_by:
                widget.attrs["aria-describedby"] = " ".join(described_by)
        return super().get_context()

    def clean(self):
        """Refuse control characters in any text (core.cleaning), naming the field."""
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                why = cleaning.problem(value, multiline=isinstance(self.fields[name].widget, forms.Textarea))
                if why:
                    self.add_error(name, f"{self.fields[name].label or 'This'} {why}")
        return cleaned

    def add_service_errors(self, error: ValidationError, renamed: dict[str, str | None] | None = None) -> None:
        """Show a service's ValidationError on the form: each message by its field where the form
        has it (``renamed`` maps a service's field name to the form's), else above the form."""
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, messages in by_field.items():
            field = (renamed or {}).get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


# As people write dates: 7/12/2026, 7-12-2026, 7.12.2026, 7 December 2026, 7 Dec 2026, 2026-12-07.
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"]


class PeoplesDateField(forms.DateField):
    """A date as people type it: any of DATE_FORMATS, with spaces and capitals as they come."""

    def to_python(self, value):
        if isinstance(value, str):
            value = " ".join(value.split()).title()  # "7 december  2026" → "7 December 2026"
        return super().to_python(value)


def _in_words(example: str) -> str:
    day = dt.datetime.strptime(example, "%d/%m/%Y").date()
    return f"{day.day} {day:%B %Y}"


def date_field(label: str, *, example: str = "14/10/2026", **kwargs) -> forms.DateField:
    """A date typed as day/month/year (or "14 October 2026"), with errors that name the field."""
    return PeoplesDateField(label=label, input_formats=DATE_FORMATS,
                            help_text=f"For example {example} or {_in_words(example)}",
                            error_messages={"required": f"Enter the {label.lower()}",
                                            "invalid": f"Enter the {label.lower()} like {example}"}, **kwargs)


class AcknowledgeForm(GovukFormMixin, forms.Form):
    """The last step before something final: when the check page warns, the person ticks that
    they have read the warnings (required only then)."""

    acknowledge = forms.BooleanField(label="I have read the warnings and want to go ahead", required=False)

    def __init__(self, *args, warnings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = list(warnings)

    def clean_acknowledge(self):
        if self.warnings and not self.cleaned_data["acknowledge"]:
            raise forms.ValidationError("Tick the box to confirm you have read the warnings, or go back")
        return self.cleaned_data["acknowledge"]
