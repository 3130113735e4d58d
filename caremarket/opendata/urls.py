"""The opendata pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/<id:council>/ocds/<int:start_year>.json", views.ocds_year, name="open-data-ocds"),
]
