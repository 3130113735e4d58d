from django.urls import path

from . import views

urlpatterns = [
    path("national-return/", views.quarters, name="national-return"),
    path("national-return/<int:start_year>/<int:number>/", views.quarter, name="national-return-quarter"),
    path("national-return/<int:start_year>/<int:number>/client-level-data.csv", views.download,
         name="national-return-file"),
]
