"""The audit trail's filters: what happened, to what kind of record, who, and when."""

import django_filters
from django import forms
from django.apps import apps

from caremarket.govuk.lists import ListFilter, date_filter

from .models import AuditEvent
from .reading import in_words, kind_of


class AuditFilter(ListFilter):
    action = django_filters.CharFilter(label="What happened", field_name="action", lookup_expr="startswith",
                                       widget=forms.Select)
    kind = django_filters.ChoiceFilter(label="Kind of record", field_name="object_type", empty_label="Any")
    who = django_filters.CharFilter(label="Who", field_name="actor_label", lookup_expr="icontains",
                                    help_text="Part of a name or email address")
    since = date_filter("On or after", "occurred_at", "date__gte", example="1/11/2026")
    until = date_filter("On or before", "occurred_at", "date__lte", example="30/11/2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each kind of event once: the part of its code before the dot ("care_package" of
        # "care_package.awarded"); a dashboard links to the same by ?action=care_package.
        prefixes = sorted({action.split(".")[0] for action in
                           AuditEvent.objects.order_by().values_list("action", flat=True).distinct()})
        self.filters["action"].extra["widget"] = forms.Select(
            choices=[("", "Anything")] + [(prefix, in_words(prefix)) for prefix in prefixes])
        kinds = {m._meta.label_lower: kind_of(m._meta.label_lower) for m in apps.get_models()
                 if m.__module__.startswith("caremarket")}
        self.filters["kind"].extra["choices"] = sorted(kinds.items(), key=lambda item: item[1])
