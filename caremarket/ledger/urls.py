from django.urls import path

from . import views

urlpatterns = [
    path("payments/periods/<id:pk>/ledger/", views.reconciliation, name="ledger"),
    path("payments/periods/<id:pk>/ledger/creditor-payments.csv", views.creditor_payments, name="ledger-creditors"),
    path("payments/periods/<id:pk>/ledger/journal.csv", views.journal, name="ledger-journal"),
]
