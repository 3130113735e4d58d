"""The audit pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("audit/", views.audit_list, name="audit-list"),
    path("audit/<str:object_type>/<str:object_id>/", views.audit_object, name="audit-object"),
]
