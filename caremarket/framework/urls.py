"""The framework pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("enrolment/", views.overview, name="enrolment"),
    path("enrolment/company/", views.company, name="enrolment-company"),
    path("enrolment/locations/", views.locations, name="enrolment-locations"),
    path("enrolment/sections/", views.sections, name="enrolment-sections"),
    path("enrolment/declarations/", views.declarations, name="enrolment-declarations"),
    path("enrolment/documents/", views.documents, name="enrolment-documents"),
    path("enrolment/bank-details/", views.bank, name="enrolment-bank"),
    path("enrolment/submit/", views.submit, name="enrolment-submit"),
    path("documents/<id:pk>/", views.document_file, name="document-file"),
    path("documents/<id:pk>/verify/", views.verify_document, name="document-verify"),
    path("frameworks/", views.framework_list, name="framework-list"),
    path("frameworks/<id:pk>/ask/", views.ask_to_join, name="framework-ask"),
    path("frameworks/joining/<id:pk>/agree/", views.agree_to_join, name="framework-agree"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/<id:pk>/", views.application_detail, name="application-detail"),
]
