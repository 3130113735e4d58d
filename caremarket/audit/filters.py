"""The audit trail's filters: what happened, to what kind of record, who, and when."""

import django_filters
from django import forms

from caremarket.govuk.lists import ListFilter, date_filter

from .models import AuditEvent
from .reading import in_words, kind_of
from .trail import labels_of, model_of


class AuditFilter(ListFilter):
    action = django_filters.CharFilter(label="What happened", field_name="action", lookup_expr="startswith",
                                       widget=forms.Select)
    kind = django_filters.ChoiceFilter(label="Kind of record", method="of_kind", empty_label="Any")
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
        # The kinds of record the trail has events about, by the names people use for them.
        recorded = set(AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct())
        kinds = {model._meta.label_lower: kind_of(label) for label in recorded if (model := model_of(label))}
        self.filters["kind"].extra["choices"] = sorted(kinds.items(), key=lambda item: item[1])

    def of_kind(self, queryset, name, value):
        return queryset.filter(object_type__in=labels_of(value))
