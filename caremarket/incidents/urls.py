"""The incidents pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("incidents/", views.incident_list, name="incidents"),
    path("incidents/report/", views.report, name="incident-report"),
    path("incidents/<id:pk>/", views.incident_detail, name="incident"),
]
