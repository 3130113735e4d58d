"""The market pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("market/", views.dashboard, name="market"),
    path("market/<slug:key>.csv", views.chart_csv, name="market-chart-csv"),
]
