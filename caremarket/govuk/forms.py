"""Django forms rendered as GOV.UK Design System fields."""

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates

from caremarket.core import cleaning
from caremarket.core.money import MoneyError, to_pence
from caremarket.core.units import size_of

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.PasswordInput: "govuk-input govuk-password-input__input",
    forms.FileInput: "govuk-file-upload",
    forms.widgets.Input: "govuk-input",
}


DJANGO_EMPTY_LABEL = "---------"


class GovukFormRenderer(DjangoTemplates):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


NUMBER_FIELDS = (forms.IntegerField, forms.DecimalField, forms.FloatField)


class GovukFormMixin:
    """Gives each widget its GOV.UK class, the error modifier and the aria link to its error,
    when the form is rendered (so fields a form adds in its own __init__ are included)."""

    def get_context(self):
        for name, field in self.fields.items():
            if getattr(field, "empty_label", None) == DJANGO_EMPTY_LABEL:
                field.empty_label = "Choose one"  # never Django's dashes on a page
            widget = field.widget
            if isinstance(widget, forms.RadioSelect) and type(field) in (forms.ChoiceField, forms.TypedChoiceField):
                field.choices = [(value, label) for value, label in field.choices if value != ""]  # no dashed radio
            if isinstance(widget, GovukDateInput):
                widget.has_error = name in self.errors
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
        """Refuse control characters in any text, and numbers in anything but the digits 0 to 9
        (core.cleaning), naming the field."""
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                why = cleaning.problem(value, multiline=isinstance(self.fields[name].widget, forms.Textarea))
                if why:
                    self.add_error(name, f"{self.fields[name].label or 'This'} {why}")
            elif isinstance(self.fields[name], NUMBER_FIELDS) and not str(self[name].data or "").isascii():
                # Django's number fields read "٣" as 3; a person meant to type something else.
                self.add_error(name, f"{self.fields[name].label or 'This'} must be written with the digits 0 to 9")
        return cleaned

    def add_service_errors(self, error: ValidationError, renamed: dict[str, str | None] | None = None) -> None:
        """Show a service's ValidationError on the form: each message by its field where the form
        has it (``renamed`` maps a service's field name to the form's), else above the form."""
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for name, messages in by_field.items():
            field = (renamed or {}).get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class BoundedFileField(forms.FileField):
    """An uploaded file refused by its size, as the upload says it, before anything reads it.
    ``max_bytes`` may be a function, for a limit read from settings when the form is used."""

    def __init__(self, *, max_bytes, too_large_hint: str = "", **kwargs):
        super().__init__(**kwargs)
        self.max_bytes, self.too_large_hint = max_bytes, too_large_hint

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        most = self.max_bytes() if callable(self.max_bytes) else self.max_bytes
        if uploaded and uploaded.size > most:
            raise forms.ValidationError(f"The file is {size_of(uploaded.size)}: the largest taken is "
                                        f"{size_of(most)}{self.too_large_hint}")
        return uploaded


class PoundsField(forms.CharField):
    """An amount in pounds, kept as whole pence."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return to_pence(value)
        except MoneyError as error:
            raise forms.ValidationError(str(error)) from None


# As people write dates: 7/12/2026, 7-12-2026, 7.12.2026, 7 December 2026, 7 Dec 2026, 2026-12-07.
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d"]


class GovukDateInput(forms.Widget):
    """GOV.UK's date input: a day, a month and a year box (``name-day``, ``name-month``,
    ``name-year``). The month may be typed as a word ("December", "Dec"). A date sent as one
    value under the field's own name (a client, "7 December 2026") is read as well."""

    template_name = "govuk/date_input.html"
    PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
    has_error = False  # set by GovukFormMixin when the field is in error

    def value_from_datadict(self, data, files, name):
        if name in data:
            return data.get(name)
        day, month, year = (" ".join(str(data.get(f"{name}-{part}") or "").split()) for part, _, _ in self.PARTS)
        if not (day or month or year):
            return ""
        return f"{day} {month} {year}" if month and not month.isdigit() else f"{day}/{month}/{year}"

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}-{part}" in data for part, _, _ in self.PARTS)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = self._parts(value)
        context["widget"]["parts"] = [
            {"name": f"{name}-{part}", "label": label, "width": width, "value": values[i],
             "numeric": part != "month",  # a month may be typed as a word
             "id": f"{context['widget']['attrs'].get('id', name)}-{part}"}
            for i, (part, label, width) in enumerate(self.PARTS)]
        context["widget"]["has_error"] = self.has_error
        return context

    @staticmethod
    def _parts(value) -> list[str]:
        """What to show in the boxes: a date's parts, or what the person typed, as typed."""
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value.strip():
            if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value.strip()):
                return list(reversed(value.strip().split("-")))
            bits = re.split(r"[\s/.-]", value.strip())
            if len(bits) == 3:
                return bits
        return ["", "", ""]


class PeoplesDateField(forms.DateField):
    """A date as people type it: any of DATE_FORMATS, with spaces and capitals as they come."""

    widget = GovukDateInput

    def to_python(self, value):
        if isinstance(value, str):
            value = " ".join(value.split()).title()  # "7 december  2026" → "7 December 2026"
        return super().to_python(value)


def date_field(label: str, *, example: str = "14/10/2026", **kwargs) -> forms.DateField:
    """A date entered in GOV.UK's day, month and year boxes, with errors that name the field."""
    day = dt.datetime.strptime(example, "%d/%m/%Y").date()
    return PeoplesDateField(label=label, input_formats=DATE_FORMATS,
                            help_text=f"For example, {day.day} {day.month} {day.year}",
                            error_messages={"required": f"Enter the {label.lower()}",
                                            "invalid": f"The {label.lower()} must be a real date, like "
                                                       f"{day.day} {day.month} {day.year}"}, **kwargs)


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
