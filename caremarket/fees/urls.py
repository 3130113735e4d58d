"""The fees pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("fees/", views.schedules, name="fees"),
    path("fees/review/", views.review, name="fee-review"),
    path("fees/<id:start_year>/", views.schedule, name="fee-schedule"),
    path("fees/<id:start_year>/publish/", views.publish, name="fee-schedule-publish"),
]
