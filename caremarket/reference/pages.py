"""The service types and need groups, on the council's reference data pages."""

import django_filters
from django import forms

from caremarket.audit.reference_pages import ReferenceKind, yes_no
from caremarket.govuk.forms import GovukFormMixin
from caremarket.govuk.lists import Column, ListFilter, sorting

from .models import NeedGroup, ServiceType

CODE_HINT = "Lower-case letters, digits and hyphens, used in files and the API. It cannot be changed later."
IN_USE = "Untick to stop it being chosen for new care; what was arranged with it is kept"


class ReferenceForm(GovukFormMixin, forms.ModelForm):
    """A code is set when the record is added: files and API clients rely on it afterwards."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "code" in self.fields:
            del self.fields["code"]


class InUseFilter(ListFilter):
    q = django_filters.CharFilter(label="Name", field_name="name", lookup_expr="icontains")
    is_active = django_filters.ChoiceFilter(label="In use", choices=[("true", "In use"), ("false", "Retired")],
                                            method="in_use", empty_label="In use and retired")
    sort = sorting({"name": "name"})

    def in_use(self, queryset, name, value):
        return queryset.filter(is_active=value == "true")


class ServiceTypeForm(ReferenceForm):
    class Meta:
        model = ServiceType
        fields = ["name", "code", "setting", "description", "is_home_support", "open_to_new_entrants",
                  "max_providers", "is_active"]
        labels = {"code": "Code", "setting": "Where the care is given",
                  "is_home_support": "Home support: visits are uploaded and paid by the minute",
                  "open_to_new_entrants": "Providers may join the framework for it at any time",
                  "max_providers": "Most providers that may be approved", "is_active": "In use"}
        help_texts = {"code": CODE_HINT, "max_providers": "Leave empty for no limit", "is_active": IN_USE,
                      "open_to_new_entrants": ""}
        widgets = {"setting": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"code": {"unique": "A service type with this code already exists"},
                          "name": {"unique": "A service type with this name already exists"}}


class NeedGroupForm(ReferenceForm):
    class Meta:
        model = NeedGroup
        fields = ["name", "code", "is_active"]
        labels = {"code": "Code", "is_active": "In use"}
        help_texts = {"code": CODE_HINT, "is_active": IN_USE}
        error_messages = {"code": {"unique": "A need group with this code already exists"},
                          "name": {"unique": "A need group with this name already exists"}}


SERVICE_TYPES = ReferenceKind(
    name="service type", plural="service types", address="service-types",
    description="The kinds of care the framework buys, each bought and paid in its own way.",
    model=ServiceType, form=ServiceTypeForm, filter=type("ServiceTypeFilter", (InUseFilter,), {}),
    columns=[Column("Name", str), Column("Where the care is given", lambda s: s.get_setting_display()),
             Column("Home support", lambda s: yes_no(s.is_home_support)),
             Column("Open to new providers", lambda s: yes_no(s.open_to_new_entrants)),
             Column("Most providers", lambda s: f"{s.max_providers:,}" if s.max_providers else "No limit"),
             Column("In use", lambda s: yes_no(s.is_active))])

NEED_GROUPS = ReferenceKind(
    name="need group", plural="need groups", address="need-groups",
    description="The groups of people's needs the framework is split by, such as older people or mental health.",
    model=NeedGroup, form=NeedGroupForm, filter=type("NeedGroupFilter", (InUseFilter,), {}),
    columns=[Column("Name", str), Column("In use", lambda s: yes_no(s.is_active))])

KINDS = [SERVICE_TYPES, NEED_GROUPS]
