from django.contrib import admin
from django.urls import path

from caremarket.accounts import views as accounts
from caremarket.api import api
from caremarket.audit import views as audit
from caremarket.citizens import views as citizens
from caremarket.cqc import views as cqc
from caremarket.fees import views as fees
from caremarket.framework import views as framework
from caremarket.organisations import views as organisations
from caremarket.packages import views as packages
from caremarket.payments import views as payments
from caremarket.periods import views as periods
from caremarket.quality import views as quality
from caremarket.tendering import views as tendering
from caremarket.web import views as web

handler403 = "caremarket.web.views.permission_denied"
handler404 = "caremarket.web.views.page_not_found"
handler500 = "caremarket.web.views.server_error"

urlpatterns = [
    path("", web.home, name="home"),
    path("more/", web.more, name="more"),
    path("find/", web.find, name="find"),
    path("accessibility/", web.about_page, {"page": "accessibility"}, name="accessibility"),
    path("privacy/", web.about_page, {"page": "privacy"}, name="privacy"),
    path("cookies/", web.about_page, {"page": "cookies"}, name="cookies"),
    path("sign-in/", accounts.SignInView.as_view(), name="sign-in"),
    path("sign-out/", accounts.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", accounts.signed_out, name="signed-out"),
    path("set-password/<uidb64>/<token>/", accounts.SetPasswordView.as_view(), name="set-password"),
    path("notifications/", accounts.notifications, name="notifications"),
    path("change-password/", accounts.ChangePasswordView.as_view(), name="change-password"),
    path("forgotten-password/", accounts.ForgottenPasswordView.as_view(), name="forgotten-password"),
    path("forgotten-password/sent/", accounts.password_reset_sent, name="password-reset-sent"),
    path("people/", accounts.people_list, name="people-list"),
    path("people/add/", accounts.person_edit, name="person-add"),
    path("people/<id:pk>/", accounts.person_edit, name="person-edit"),
    path("people/<id:pk>/unlock/", accounts.unlock_person, name="person-unlock"),
    path("api-tokens/", accounts.api_tokens, name="api-tokens"),
    path("api-tokens/<id:pk>/revoke/", accounts.revoke_api_token, name="api-token-revoke"),
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    path("organisations/<id:pk>/", organisations.organisation_detail, name="organisation-detail"),
    path("citizens/", citizens.citizen_list, name="citizen-list"),
    path("citizens/<id:pk>/", web.citizen_record, name="citizen-detail"),
    path("citizens/access-log/", citizens.access_log, name="access-log"),
    path("citizens/access-log.csv", citizens.access_log_csv, name="access-log-csv"),
    path("payment-calendar/", periods.payment_calendar, name="payment-calendar"),
    path("payment-calendar/draft/", periods.draft, name="payment-calendar-draft"),
    path("payment-calendar/<id:start_year>/publish/", periods.publish, name="payment-calendar-publish"),
    path("enrolment/", framework.overview, name="enrolment"),
    path("enrolment/company/", framework.company, name="enrolment-company"),
    path("enrolment/locations/", framework.locations, name="enrolment-locations"),
    path("enrolment/sections/", framework.sections, name="enrolment-sections"),
    path("enrolment/declarations/", framework.declarations, name="enrolment-declarations"),
    path("enrolment/documents/", framework.documents, name="enrolment-documents"),
    path("enrolment/bank-details/", framework.bank, name="enrolment-bank"),
    path("enrolment/submit/", framework.submit, name="enrolment-submit"),
    path("documents/<id:pk>/", framework.document_file, name="document-file"),
    path("documents/<id:pk>/verify/", framework.verify_document, name="document-verify"),
    path("applications/", framework.application_list, name="application-list"),
    path("applications/<id:pk>/", framework.application_detail, name="application-detail"),
    path("services/<id:pk>/quality/", quality.service_quality, name="service-quality"),
    path("services/<id:pk>/inspections/", quality.record_inspection_view, name="record-inspection"),
    path("services/<id:pk>/intelligence/", quality.record_intelligence_view, name="record-intelligence"),
    path("services/<id:pk>/pqas/", quality.submit_pqas_view, name="submit-pqas"),
    path("services/<id:pk>/pqas/<id:pqas_pk>/falsified/", quality.pqas_falsified_view, name="pqas-falsified"),
    path("services/<id:pk>/feedback/", quality.record_feedback_view, name="record-feedback"),
    path("services/<id:pk>/challenge/", quality.challenge_view, name="challenge-rating"),
    path("services/<id:pk>/challenges/<id:challenge_pk>/decision/", quality.decide_challenge_view,
         name="decide-challenge"),
    path("services/<id:pk>/plans/<id:plan_pk>/actions/", quality.add_action_view, name="add-action"),
    path("services/<id:pk>/plans/<id:plan_pk>/reinspection/", quality.request_reinspection_view,
         name="request-reinspection"),
    path("services/<id:pk>/plans/<id:plan_pk>/complete/", quality.complete_plan_view, name="complete-plan"),
    path("cqc-data/", cqc.imports, name="cqc-imports"),
    path("ratings/", quality.public_ratings, name="public-ratings"),
    path("ratings.csv", quality.public_ratings_csv, name="public-ratings-csv"),
    path("ratings.json", quality.public_ratings_json, name="public-ratings-json"),
    path("brokerage/", tendering.brokerage_queue, name="brokerage"),
    path("brokerage/raise/", tendering.raise_requirement, name="requirement-raise"),
    path("brokerage/<id:pk>/", tendering.requirement_detail, name="requirement-detail"),
    path("brokerage/<id:pk>/award/", tendering.award, name="requirement-award"),
    path("brokerage/<id:pk>/choice/", tendering.citizen_choice, name="citizen-choice"),
    path("brokerage/<id:pk>/next-round/", tendering.next_round, name="requirement-next-round"),
    path("brokerage/<id:pk>/cancel/", tendering.cancel_requirement, name="requirement-cancel"),
    path("hand-backs/", tendering.hand_back, name="hand-back"),
    path("opportunities/", tendering.opportunities, name="opportunities"),
    path("opportunities/<id:tender_pk>/", tendering.opportunity, name="opportunity"),
    path("opportunities/<id:tender_pk>/withdraw/", tendering.withdraw_offer, name="offer-withdraw"),
    path("care-packages/", packages.care_packages, name="care-packages"),
    path("care-packages/<id:pk>/", packages.care_package, name="care-package"),
    path("care-packages/<id:pk>/changes/", packages.package_changes, name="package-changes"),
    path("package-changes/", packages.changes_waiting, name="package-changes-waiting"),
    path("package-changes/<id:pk>/decide/", packages.decide_package_change, name="package-change-decide"),
    path("fees/", fees.schedules, name="fees"),
    path("fees/review/", fees.review, name="fee-review"),
    path("fees/<id:start_year>/", fees.schedule, name="fee-schedule"),
    path("fees/<id:start_year>/publish/", fees.publish, name="fee-schedule-publish"),
    path("fees/<id:start_year>/apply/", payments.apply_to_packages, name="fee-schedule-apply"),
    path("payments/", payments.overview, name="payments"),
    path("payments/visits/", payments.upload_visits, name="upload-visits"),
    path("payments/visits/<id:pk>/", payments.visit_upload, name="visit-upload"),
    path("payments/invoices/<id:pk>/", payments.invoice_detail, name="invoice"),
    path("payments/invoices/<id:pk>/visits.csv", payments.invoice_visits_csv, name="invoice-visits-csv"),
    path("payments/invoices/<id:pk>/submit/", payments.submit_invoice, name="invoice-submit"),
    path("payments/queries/", payments.query_list, name="payment-queries"),
    path("payments/queries/<id:pk>/", payments.query_detail, name="payment-query"),
    path("payments/runs/<id:run_pk>/remittances/<id:organisation_pk>/", payments.remittance_page,
         name="remittance"),
    path("payments/runs/<id:run_pk>/remittances/<id:organisation_pk>.pdf", payments.remittance_pdf,
         name="remittance-pdf"),
    path("payments/periods/<id:pk>/", payments.period_detail, name="payment-period"),
    path("payments/periods/<id:pk>/run/", payments.start_run, name="payment-run-start"),
    path("payments/periods/<id:pk>/post/", payments.post_run, name="payment-run-post"),
    path("payments/periods/<id:pk>/payment-file.csv", payments.payment_file, name="payment-file"),
    path("payments/spend/", payments.spend_page, name="spend"),
    path("audit/", audit.audit_list, name="audit-list"),
    path("audit/<str:object_type>/<str:object_id>/", audit.audit_object, name="audit-object"),
    path("api/", api.urls),
    path("reference-data/", admin.site.urls),
]
