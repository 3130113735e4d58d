"""The management pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("providers/<id:pk>/", views.provider_record, name="provider-record"),
    path("providers/<id:pk>/performance/", views.provider_performance, name="provider-performance"),
    path("providers/<id:pk>/contact/", views.log_contact, name="contact-log"),
    path("providers/<id:pk>/contact/<id:entry_pk>/", views.contact_entry, name="contact-entry"),
    path("providers/<id:pk>/actions/<id:action_pk>/done/", views.action_done, name="action-done"),
    path("providers/<id:pk>/reviews/<id:review_pk>/", views.contract_review, name="contract-review"),
    path("contract-reviews/", views.my_reviews, name="contract-reviews"),
    path("cost-of-care/", views.cost_of_care_returns, name="cost-of-care-returns"),
    path("cost-of-care/send/", views.send_cost_of_care, name="send-cost-of-care"),
    path("cost-of-care/<id:pk>/", views.cost_of_care, name="cost-of-care"),
]
