"""The periods pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("payment-calendar/", views.payment_calendar, name="payment-calendar"),
    path("payment-calendar/draft/", views.draft, name="payment-calendar-draft"),
    path("payment-calendar/<id:start_year>/publish/", views.publish, name="payment-calendar-publish"),
]
