"""The accounts pages' addresses, included by caremarket/urls.py."""

from django.urls import path
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from . import two_factor_views, views

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("oidc/authenticate/", views.CouncilSignOnStart.as_view(), name="oidc_authentication_init"),
    path("oidc/callback/", OIDCAuthenticationCallbackView.as_view(), name="oidc_authentication_callback"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
    path("notifications/", views.notifications, name="notifications"),
    path("where-you-are-signed-in/", views.signed_in_sessions, name="signed-in-sessions"),
    path("two-factor/", two_factor_views.give_code, name="two-factor"),
    path("two-factor/set-up/", two_factor_views.set_up, name="two-factor-set-up"),
    path("people/<id:pk>/reset-two-factor/", two_factor_views.reset, name="person-reset-two-factor"),
    path("confirm-email/<str:token>/", views.confirm_email, name="confirm-email"),
    path("change-password/", views.ChangePasswordView.as_view(), name="change-password"),
    path("forgotten-password/", views.ForgottenPasswordView.as_view(), name="forgotten-password"),
    path("forgotten-password/sent/", views.password_reset_sent, name="password-reset-sent"),
    path("people/", views.people_list, name="people-list"),
    path("people/add/", views.person_edit, name="person-add"),
    path("people/<id:pk>/", views.person_edit, name="person-edit"),
    path("people/<id:pk>/unlock/", views.unlock_person, name="person-unlock"),
    path("api-tokens/", views.api_tokens, name="api-tokens"),
    path("api-tokens/<id:pk>/revoke/", views.revoke_api_token, name="api-token-revoke"),
    path("api-tokens/<id:pk>/rotate/", views.rotate_api_token, name="api-token-rotate"),
    path("people/api-tokens/", views.people_api_tokens, name="people-api-tokens"),
]
