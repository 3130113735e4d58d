from django.contrib import admin
from django.urls import path

from caremarket.accounts import views as accounts
from caremarket.api import api
from caremarket.audit import views as audit
from caremarket.citizens import views as citizens
from caremarket.organisations import views as organisations
from caremarket.periods import views as periods
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
    path("audit/", audit.audit_list, name="audit-list"),
    path("audit/<str:object_type>/<str:object_id>/", audit.audit_object, name="audit-object"),
    path("api/", api.urls),
    path("reference-data/", admin.site.urls),
]
