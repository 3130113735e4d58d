"""The citizens pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("citizens/", views.citizen_list, name="citizen-list"),
    path("citizens/access-log/", views.access_log, name="access-log"),
    path("citizens/changes-waiting/", views.changes_waiting, name="changes-waiting"),
    path("citizens/changes-waiting/<id:pk>/", views.decide_change, name="change-waiting"),
]
