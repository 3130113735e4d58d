"""What a form asks of organisations."""

from django import forms

from .models import Organisation


class ChooseCouncil(forms.Form):
    """A form for something sent to one council (a provider's return, a report): on an install
    with several councils the sender chooses which; with one, it is not asked."""

    council = forms.ModelChoiceField(label="Which council it is for", required=False, widget=forms.RadioSelect,
                                     queryset=Organisation.objects.filter(kind=Organisation.Kind.COUNCIL),
                                     error_messages={"invalid_choice": "Choose one of the councils listed"})

    def __init__(self, *args, councils=None, **kwargs):
        super().__init__(*args, **kwargs)
        if councils is not None:  # those the sender works with
            self.fields["council"].queryset = self.fields["council"].queryset.filter(pk__in=councils)
        if self.fields["council"].queryset.count() < 2:
            self.fields["council"].widget = forms.HiddenInput()

    def clean_council(self):
        chosen = self.cleaned_data.get("council")
        if chosen is None:
            councils = list(self.fields["council"].queryset[:2])
            if len(councils) != 1:
                raise forms.ValidationError("Choose the council it is for")
            chosen = councils[0]
        return chosen
