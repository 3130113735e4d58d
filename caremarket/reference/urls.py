from django.urls import path

from . import views
from .pages import KINDS

urlpatterns = [
    path("reference-data/", views.reference_data, name="reference-data"),
    *(url for kind in KINDS for url in kind.urls()),
]
