"""The payments pages' addresses, included by caremarket/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("fees/<id:start_year>/apply/", views.apply_to_packages, name="fee-schedule-apply"),
    path("payments/", views.overview, name="payments"),
    path("payments/visits/", views.upload_visits, name="upload-visits"),
    path("payments/visits/<id:pk>/", views.visit_upload, name="visit-upload"),
    path("payments/invoices/", views.invoice_list, name="invoice-list"),
    path("payments/invoices/<id:pk>/", views.invoice_detail, name="invoice"),
    path("payments/invoices/<id:pk>/visits.csv", views.invoice_visits_csv, name="invoice-visits-csv"),
    path("payments/invoices/<id:pk>/submit/", views.submit_invoice, name="invoice-submit"),
    path("payments/queries/", views.query_list, name="payment-queries"),
    path("payments/queries/answers/", views.answer_queries_file, name="payment-query-answers"),
    path("payments/queries/answer-selected/", views.answer_selected_queries, name="payment-queries-answer-selected"),
    path("payments/queries/<id:pk>/", views.query_detail, name="payment-query"),
    path("payments/runs/<id:run_pk>/remittances/<id:organisation_pk>/", views.remittance_page,
         name="remittance"),
    path("payments/runs/<id:run_pk>/remittances/<id:organisation_pk>.pdf", views.remittance_pdf,
         name="remittance-pdf"),
    path("payments/periods/<id:pk>/", views.period_detail, name="payment-period"),
    path("payments/periods/<id:pk>/run/", views.start_run, name="payment-run-start"),
    path("payments/periods/<id:pk>/post/", views.post_run, name="payment-run-post"),
    path("payments/periods/<id:pk>/payment-file.csv", views.payment_file, name="payment-file"),
    path("payments/spend/", views.spend_page, name="spend"),
]
