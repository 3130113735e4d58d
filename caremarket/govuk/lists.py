"""The lists people work through all day, laid out as GOV.UK and the MOJ Frontend do it.

A list page is a django-filter ``FilterSet`` (its search box, filters and sort order, read from
the address so that a filtered list can be bookmarked and shared), 50 rows to a page with
"Showing 1 to 50 of 8,517 results", and the same rows as a CSV download: exactly what is
filtered, never cut off, streamed so that a long list does not fill the server's memory.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.core.paginator import Page, Paginator
from django.http import StreamingHttpResponse

from caremarket.core import csv_out
from caremarket.core.downloads import attachment

from .forms import DATE_FORMATS, GovukFormMixin

PER_PAGE = 50
CSV_CHUNK = 2000


class FilterForm(GovukFormMixin, forms.Form):
    """The filter panel's form: GOV.UK fields, and wrong values named like any other form's."""


class ListFilter(django_filters.FilterSet):
    """A list's filters. A value that is not one of the choices (an old bookmark, a hand-typed
    address) is shown as an error on its field, and the list is not filtered by it (Django
    leaves a field in error out of ``cleaned_data``)."""

    defaults: dict = {}  # a field's value when the address gives none (the queue: "waiting")

    class Meta:
        form = FilterForm

    def __init__(self, data=None, *args, request=None, **kwargs):
        self.defaults = self.defaults_for(request)
        if data is not None and self.defaults:
            data = data.copy()
            for name, value in self.defaults.items():
                data.setdefault(name, value)
        super().__init__(data, *args, request=request, **kwargs)

    def defaults_for(self, request) -> dict:
        """The defaults for the person asking (a list may open on different work for each role)."""
        return type(self).defaults

    def selected(self) -> list[dict]:
        """The filters in use, each with the address of the list without it (the MOJ filter's
        "selected filters" tags)."""
        if not self.is_bound:
            return []
        self.form.is_valid()  # cleaned_data then holds the fields that are right
        found = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", [], ()) or value is False:  # an unticked box filters nothing
                continue
            if isinstance(self.filters.get(name), django_filters.OrderingFilter):
                continue
            if value == self.defaults.get(name):
                continue  # what the list shows when nothing is chosen is not a filter to remove
            field = self.form.fields[name]
            choices = [] if isinstance(field, forms.ModelChoiceField) else (
                getattr(field, "choices", None) or getattr(field.widget, "choices", None) or [])
            shown = dict(choices).get(value, value)
            without = self.data.copy()
            without.pop(name, None)
            without.pop("page", None)
            found.append({"label": field.label, "value": shown, "href": f"?{without.urlencode()}"})
        return found


def sorting(fields: dict[str, str]) -> django_filters.OrderingFilter:
    """A sort order chosen by ``?sort=column`` (``-column`` for the reverse), only among ``fields``
    (column name → the ORM field it sorts by)."""
    return django_filters.OrderingFilter(fields={orm: column for column, orm in fields.items()},
                                         label="Sort by", empty_label="As the list is usually ordered")


def date_filter(label: str, field_name: str, lookup_expr: str, *, example: str) -> django_filters.DateFilter:
    """A day typed as people write it (govuk.forms.DATE_FORMATS); a wrong one is named on its field."""
    return django_filters.DateFilter(label=label, field_name=field_name, lookup_expr=lookup_expr,
                                     input_formats=DATE_FORMATS, help_text=f"For example {example}",
                                     error_messages={"invalid": f"Enter a real date, like {example}"})


def page_of(request, rows, per_page: int = PER_PAGE) -> Page:
    """The page the address asks for; a page past the end shows the last page, never an error."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


@dataclass(frozen=True)
class Column:
    """One column of a CSV download: its heading and how to read it from a row."""

    heading: str
    value: Callable[[Any], Any]


def csv_download(rows: Iterable, columns: list[Column], filename: str) -> StreamingHttpResponse:
    """The rows as a CSV file (core.csv_out: no cell a spreadsheet would run as a formula)."""
    if hasattr(rows, "iterator"):
        rows = rows.iterator(chunk_size=CSV_CHUNK)

    def lines():
        buffer = io.StringIO()
        writer = csv_out.writer(buffer)
        writer.writerow([column.heading for column in columns])
        for number, row in enumerate(rows, start=1):
            writer.writerow([column.value(row) for column in columns])
            if number % CSV_CHUNK == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment(filename)
    return response
