"""The SCIM 2.0 service's addresses under /scim/v2/ (django-scim2's views; Users only: roles
come from groups at sign-in, so the directory's Groups are not provisioned here)."""

from django.urls import path
from django_scim import views

app_name = "scim"

urlpatterns = [
    path("", views.SCIMView.as_view(implemented=False), name="root"),
    path("Users/.search", views.UserSearchView.as_view(), name="users-search"),
    path("Users", views.UsersView.as_view(), name="users"),
    path("Users/<str:uuid>", views.UsersView.as_view(), name="users"),
    path("ServiceProviderConfig", views.ServiceProviderConfigView.as_view(), name="service-provider-config"),
    path("ResourceTypes", views.ResourceTypesView.as_view(), name="resource-types"),
    path("ResourceTypes/<str:uuid>", views.ResourceTypesView.as_view(), name="resource-types"),
    path("Schemas", views.SchemasView.as_view(), name="schemas"),
    path("Schemas/<str:uuid>", views.SchemasView.as_view(), name="schemas"),
]
