"""The packages pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("care-packages/", views.care_packages, name="care-packages"),
    path("care-packages/<id:pk>/", views.care_package, name="care-package"),
    path("care-packages/<id:pk>/changes/", views.package_changes, name="package-changes"),
    path("package-changes/", views.changes_waiting, name="package-changes-waiting"),
    path("package-changes/<id:pk>/decide/", views.decide_package_change, name="package-change-decide"),
]
