"""Reference data's own pages, in GOV.UK: for each kind (service types, need groups, areas,
wards), a list to search, filter, page through and download, and a form to add one or change
one. Only people who may manage reference data open them, and every save is recorded in the
audit trail with what changed. Nothing is deleted: care records point at reference data, so it
is retired (its "in use" box) instead.

An app declares a kind with ``ReferenceKind`` and adds ``kind.urls()`` to its ``urls.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from caremarket.accounts.permissions import require
from caremarket.govuk.lists import Column, ListFilter, csv_download, page_of, wants_csv

from .trail import record, snapshot

PERMISSION = "manage_reference_data"


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


@dataclass(frozen=True)
class ReferenceKind:
    """One kind of reference data and how its pages show it."""

    name: str  # "service type": in headings, buttons and messages
    plural: str  # "service types"
    address: str  # "service-types": the pages are at /reference-data/<address>/
    description: str  # what it is for, on the reference data page
    model: type
    form: type[forms.ModelForm]
    filter: type[ListFilter]
    columns: list[Column]  # the table's and the CSV's; the first links to the record
    related: Callable | None = None  # what the list reads with each row (select_related / prefetch)

    @property
    def list_name(self) -> str:
        return f"reference-{self.address}"

    def urls(self) -> list:
        return [path(f"reference-data/{self.address}/", self.list_view, name=self.list_name),
                path(f"reference-data/{self.address}/add/", self.form_view, name=f"{self.list_name}-add"),
                path(f"reference-data/{self.address}/<id:pk>/", self.form_view, name=f"{self.list_name}-change")]

    def rows(self):
        rows = self.model.objects.all()
        return self.related(rows) if self.related else rows

    def list_view(self, request):
        return login_required(self._list)(request)

    def form_view(self, request, pk=None):
        return login_required(self._form)(request, pk)

    def _list(self, request):
        require(request.user, PERMISSION)
        found = self.filter(request.GET, self.rows(), request=request)
        if wants_csv(request):
            return csv_download(found.qs, self.columns, f"{self.address}.csv")
        page = page_of(request, found.qs)
        table = [(row, [column.value(row) for column in self.columns]) for row in page]
        return render(request, "audit/reference_list.html", {
            "kind": self, "filter": found, "page": page, "table": table,
            "headings": [column.heading for column in self.columns]})

    def _form(self, request, pk):
        require(request.user, PERMISSION)
        instance = get_object_or_404(self.model, pk=pk) if pk else None
        before = snapshot(instance) if instance else None  # the form changes the instance as it checks it
        form = self.form(request.POST if request.method == "POST" else None, instance=instance)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                saved = form.save()
                record(request.user, f"{self.model._meta.model_name}.{'changed' if instance else 'added'}",
                       saved, before=before)
            messages.success(request, f"{self.name.capitalize()} {saved} {'changed' if instance else 'added'}")
            return redirect(self.list_name)
        return render(request, "audit/reference_form.html", {"kind": self, "form": form, "record": instance})
