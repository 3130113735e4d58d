"""The home-support areas and their wards, on the council's reference data pages."""

import django_filters
from django import forms
from django.db.models import Count

from caremarket.audit.reference_pages import ReferenceKind
from caremarket.govuk.forms import GovukFormMixin
from caremarket.govuk.lists import Column, ListFilter, sorting

from .models import Area, Ward


class AreaForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Area
        fields = ["name", "code", "weekly_care_hours", "borders"]
        labels = {"code": "Code", "weekly_care_hours": "Council-funded home support hours a week",
                  "borders": "Areas next to this one"}
        help_texts = {"code": "Lower-case letters, digits and hyphens, used in files and the API. It cannot be "
                              "changed later.", "weekly_care_hours": "", "borders": "Care may be offered across "
                              "a border when no provider in the area can take it"}
        widgets = {"borders": forms.CheckboxSelectMultiple, "weekly_care_hours": forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false"})}
        error_messages = {"code": {"unique": "An area with this code already exists"},
                          "name": {"unique": "An area with this name already exists"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["code"]
            self.fields["borders"].queryset = Area.objects.exclude(pk=self.instance.pk)


class WardForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = Ward
        fields = ["name", "ons_code", "locality", "area"]
        labels = {"ons_code": "ONS code", "area": "Home-support area"}
        help_texts = {"ons_code": "Nine characters, for example E05011121"}
        widgets = {"ons_code": forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-10"})}
        error_messages = {"ons_code": {"unique": "A ward with this ONS code already exists"}}


class AreaFilter(ListFilter):
    q = django_filters.CharFilter(label="Name", field_name="name", lookup_expr="icontains")
    sort = sorting({"name": "name"})


class WardFilter(ListFilter):
    q = django_filters.CharFilter(label="Name or ONS code", method="name_or_code")
    area = django_filters.ModelChoiceFilter(label="Area", queryset=Area.objects.all(), empty_label="Any area")
    sort = sorting({"name": "name", "area": "area__name"})

    def name_or_code(self, queryset, name, value):
        return queryset.filter(name__icontains=value) | queryset.filter(ons_code__iexact=value.strip())


AREAS = ReferenceKind(
    name="area", plural="areas", address="areas",
    description="The home-support areas: each has its own providers, and the hours of care the council funds in it.",
    model=Area, form=AreaForm, filter=AreaFilter,
    related=lambda rows: rows.prefetch_related("borders").annotate(ward_count=Count("wards")).order_by("name"),
    columns=[Column("Name", str), Column("Home support hours a week", lambda a: f"{a.weekly_care_hours:,}"),
             Column("Next to", lambda a: ", ".join(b.name for b in a.borders.all())),
             Column("Wards", lambda a: f"{a.ward_count:,}")])

WARDS = ReferenceKind(
    name="ward", plural="wards", address="wards",
    description="The council's electoral wards and the home-support area each falls in.",
    model=Ward, form=WardForm, filter=WardFilter, related=lambda rows: rows.select_related("area"),
    columns=[Column("Name", str), Column("ONS code", lambda w: w.ons_code), Column("Locality", lambda w: w.locality),
             Column("Area", lambda w: w.area.name)])

KINDS = [AREAS, WARDS]
