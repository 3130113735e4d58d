"""The quality pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("services/<id:pk>/quality/", views.service_quality, name="service-quality"),
    path("services/<id:pk>/inspections/", views.record_inspection_view, name="record-inspection"),
    path("services/<id:pk>/intelligence/", views.record_intelligence_view, name="record-intelligence"),
    path("services/<id:pk>/pqas/", views.submit_pqas_view, name="submit-pqas"),
    path("services/<id:pk>/pqas/<id:pqas_pk>/falsified/", views.pqas_falsified_view, name="pqas-falsified"),
    path("services/<id:pk>/feedback/", views.record_feedback_view, name="record-feedback"),
    path("services/<id:pk>/challenge/", views.challenge_view, name="challenge-rating"),
    path("services/<id:pk>/challenges/<id:challenge_pk>/decision/", views.decide_challenge_view,
         name="decide-challenge"),
    path("services/<id:pk>/plans/<id:plan_pk>/actions/", views.add_action_view, name="add-action"),
    path("services/<id:pk>/plans/<id:plan_pk>/reinspection/", views.request_reinspection_view,
         name="request-reinspection"),
    path("services/<id:pk>/plans/<id:plan_pk>/complete/", views.complete_plan_view, name="complete-plan"),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/<id:pk>/", views.inspection_request, name="inspection-request"),
    path("ratings/", views.public_ratings, name="public-ratings"),
    path("ratings.csv", views.public_ratings_csv, name="public-ratings-csv"),
    path("ratings.json", views.public_ratings_json, name="public-ratings-json"),
]
