"""The web pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("more/", views.more, name="more"),
    path("find/", views.find, name="find"),
    path("accessibility/", views.about_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", views.about_page, {"page": "privacy"}, name="privacy"),
    path("cookies/", views.about_page, {"page": "cookies"}, name="cookies"),
    path("citizens/<id:pk>/", views.citizen_record, name="citizen-detail"),
]
