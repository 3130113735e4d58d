from django.contrib import admin
from django.urls import path

from caremarket.accounts import views as accounts
from caremarket.api import api
from caremarket.audit import views as audit
from caremarket.citizens import views as citizens
from caremarket.cqc import views as cqc
from caremarket.framework import views as framework
from caremarket.fees import views as fees
from caremarket.organisations import views as organisations
from caremarket.payments import views as payments
from caremarket.periods import views as periods
from caremarket.quality import views as quality
from caremarket.tendering import views as tendering
from caremarket.web import views as web

handler403 = "caremarket.web.views.permission_denied"
handler404 = "caremarket.web.views.page_not_found"

urlpatterns = [
    path("", web.home, name="home"),
    path("sign-in/", accounts.SignInView.as_view(), name="sign-in"),
    path("sign-out/", accounts.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", accounts.signed_out, name="signed-out"),
    path("set-password/<uidb64>/<token>/", accounts.SetPasswordView.as_view(), name="set-password"),
    path("people/", accounts.people_list, name="people-list"),
    path("people/add/", accounts.person_edit, name="person-add"),
    path("people/<int:pk>/", accounts.person_edit, name="person-edit"),
    path("api-tokens/", accounts.api_tokens, name="api-tokens"),
    path("api-tokens/<int:pk>/revoke/", accounts.revoke_api_token, name="api-token-revoke"),
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation-detail"),
    path("citizens/", citizens.citizen_list, name="citizen-list"),
    path("citizens/<int:pk>/", citizens.citizen_detail, name="citizen-detail"),
    path("payment-calendar/", periods.payment_calendar, name="payment-calendar"),
    path("payment-calendar/draft/", periods.draft, name="payment-calendar-draft"),
    path("payment-calendar/<int:start_year>/publish/", periods.publish, name="payment-calendar-publish"),
    path("enrolment/", framework.overview, name="enrolment"),
    path("enrolment/company/", framework.company, name="enrolment-company"),
    path("enrolment/locations/", framework.locations, name="enrolment-locations"),
    path("enrolment/sections/", framework.sections, name="enrolment-sections"),
    path("enrolment/declarations/", framework.declarations, name="enrolment-declarations"),
    path("enrolment/documents/", framework.documents, name="enrolment-documents"),
    path("enrolment/bank-details/", framework.bank, name="enrolment-bank"),
    path("enrolment/submit/", framework.submit, name="enrolment-submit"),
    path("documents/<int:pk>/", framework.document_file, name="document-file"),
    path("documents/<int:pk>/verify/", framework.verify_document, name="document-verify"),
    path("applications/", framework.application_list, name="application-list"),
    path("applications/<int:pk>/", framework.application_detail, name="application-detail"),
    path("services/<int:pk>/quality/", quality.service_quality, name="service-quality"),
    path("services/<int:pk>/inspections/", quality.record_inspection_view, name="record-inspection"),
    path("services/<int:pk>/intelligence/", quality.record_intelligence_view, name="record-intelligence"),
    path("services/<int:pk>/pqas/", quality.submit_pqas_view, name="submit-pqas"),
    path("services/<int:pk>/pqas/<int:pqas_pk>/falsified/", quality.pqas_falsified_view, name="pqas-falsified"),
    path("services/<int:pk>/feedback/", quality.record_feedback_view, name="record-feedback"),
    path("services/<int:pk>/challenge/", quality.challenge_view, name="challenge-rating"),
    path("services/<int:pk>/challenges/<int:challenge_pk>/decision/", quality.decide_challenge_view,
         name="decide-challenge"),
    path("services/<int:pk>/plans/<int:plan_pk>/actions/", quality.add_action_view, name="add-action"),
    path("services/<int:pk>/plans/<int:plan_pk>/reinspection/", quality.request_reinspection_view,
         name="request-reinspection"),
    path("services/<int:pk>/plans/<int:plan_pk>/complete/", quality.complete_plan_view, name="complete-plan"),
    path("cqc-data/", cqc.imports, name="cqc-imports"),
    path("ratings/", quality.public_ratings, name="public-ratings"),
    path("ratings.csv", quality.public_ratings_csv, name="public-ratings-csv"),
    path("ratings.json", quality.public_ratings_json, name="public-ratings-json"),
    path("brokerage/", tendering.brokerage_queue, name="brokerage"),
    path("brokerage/raise/", tendering.raise_requirement, name="requirement-raise"),
    path("brokerage/<int:pk>/", tendering.requirement_detail, name="requirement-detail"),
    path("brokerage/<int:pk>/award/", tendering.award, name="requirement-award"),
    path("brokerage/<int:pk>/choice/", tendering.citizen_choice, name="citizen-choice"),
    path("brokerage/<int:pk>/next-round/", tendering.next_round, name="requirement-next-round"),
    path("brokerage/<int:pk>/cancel/", tendering.cancel_requirement, name="requirement-cancel"),
    path("hand-backs/", tendering.hand_back, name="hand-back"),
    path("opportunities/", tendering.opportunities, name="opportunities"),
    path("opportunities/<int:tender_pk>/", tendering.opportunity, name="opportunity"),
    path("opportunities/<int:tender_pk>/withdraw/", tendering.withdraw_offer, name="offer-withdraw"),
    path("care-packages/", tendering.care_packages, name="care-packages"),
    path("care-packages/<int:pk>/", tendering.care_package, name="care-package"),
    path("care-packages/<int:pk>/changes/", payments.package_changes, name="package-changes"),
    path("package-changes/", payments.changes_waiting, name="package-changes-waiting"),
    path("package-changes/<int:pk>/decide/", payments.decide_package_change, name="package-change-decide"),
    path("fees/", fees.schedules, name="fees"),
    path("fees/review/", fees.review, name="fee-review"),
    path("fees/<int:start_year>/", fees.schedule, name="fee-schedule"),
    path("fees/<int:start_year>/publish/", fees.publish, name="fee-schedule-publish"),
    path("fees/<int:start_year>/apply/", fees.apply_to_packages, name="fee-schedule-apply"),
    path("payments/", payments.overview, name="payments"),
    path("payments/visits/", payments.upload_visits, name="upload-visits"),
    path("payments/visits/<int:pk>/", payments.visit_upload, name="visit-upload"),
    path("payments/invoices/<int:pk>/", payments.invoice_detail, name="invoice"),
    path("payments/invoices/<int:pk>/visits.csv", payments.invoice_visits_csv, name="invoice-visits-csv"),
    path("payments/invoices/<int:pk>/submit/", payments.submit_invoice, name="invoice-submit"),
    path("payments/queries/", payments.query_list, name="payment-queries"),
    path("payments/queries/<int:pk>/", payments.query_detail, name="payment-query"),
    path("payments/runs/<int:run_pk>/remittances/<int:organisation_pk>/", payments.remittance_page,
         name="remittance"),
    path("payments/runs/<int:run_pk>/remittances/<int:organisation_pk>.pdf", payments.remittance_pdf,
         name="remittance-pdf"),
    path("payments/periods/<int:pk>/", payments.period_detail, name="payment-period"),
    path("payments/periods/<int:pk>/run/", payments.start_run, name="payment-run-start"),
    path("payments/periods/<int:pk>/post/", payments.post_run, name="payment-run-post"),
    path("payments/periods/<int:pk>/payment-file.csv", payments.payment_file, name="payment-file"),
    path("payments/spend/", payments.spend_page, name="spend"),
    path("audit/", audit.audit_list, name="audit-list"),
    path("audit/<str:object_type>/<str:object_id>/", audit.audit_object, name="audit-object"),
    path("api/", api.urls),
    path("reference-data/", admin.site.urls),
]
