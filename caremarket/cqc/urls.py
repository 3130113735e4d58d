"""The cqc pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("cqc-data/", views.imports, name="cqc-imports"),
]
