"""Django forms rendered as GOV.UK Design System fields."""

from django import forms
from django.forms.renderers import DjangoTemplates

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.PasswordInput: "govuk-input govuk-password-input__input",
    forms.widgets.Input: "govuk-input",
}


class GovukFormRenderer(DjangoTemplates):
    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"


class GovukFormMixin:
    """Gives each widget its GOV.UK class, the error modifier and the aria links to hint and error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = next((c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)), "")
            widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                base = WIDGET_CLASSES.get(type(widget), "govuk-input").split()[0]
                widget.attrs["class"] += f" {base}--error"
                widget.attrs["aria-describedby"] = f"id_{self.add_prefix(name)}-error"
