"""Signing in, in a real browser, with axe on Caremarket's pages on the way: a council officer
through the council's identity provider (the stand-in, its own process); a provider
administrator setting up two-factor sign-in and then using it."""

import sys

import pytest

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from caremarket.accounts.models import GroupRole
from caremarket.accounts.roles import Role
from caremarket.conftest import code_from
from caremarket.core.local_processes import free_port, running
from caremarket.web.browser_testing import accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]


def test_a_council_officer_signs_in_with_the_council_account(page, live_server, settings, council):
    GroupRole.objects.create(group="Caremarket brokers", role=Role.BROKERAGE_OFFICER)
    port = free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET, settings.OIDC_OP_ISSUER = "caremarket", "secret", issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT, settings.OIDC_OP_TOKEN_ENDPOINT = f"{issuer}/authorize/", f"{issuer}/token/"
    settings.OIDC_OP_USER_ENDPOINT, settings.OIDC_OP_JWKS_ENDPOINT = f"{issuer}/userinfo/", f"{issuer}/.well-known/jwks.json"
    with running([sys.executable, "-m", "standin.identity_provider", "--port", str(port), "--client-id", "caremarket",
                  "--client-secret", "secret", "--redirect-uri", f"{live_server.url}/oidc/callback/",
                  "--person", "bea.broker@council.example:directory-password:Caremarket brokers"], port):
        page.goto("/sign-in/")
        assert accessibility_violations(page) == []
        page.get_by_role("button", name="Sign in with your council account").click()
        page.get_by_label("Username").fill("bea.broker@council.example")
        page.get_by_label("Password").fill("directory-password")
        page.get_by_role("button", name="Sign in").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Brokerage officer dashboard"
        assert accessibility_violations(page) == []
        page.get_by_role("link", name="Where you are signed in").click()
        assert page.get_by_text("This browser").is_visible()
        assert accessibility_violations(page) == []


def test_a_provider_administrator_sets_up_two_factor_and_signs_in_with_it(page, make_user, provider):
    admin = make_user(Role.PROVIDER_ADMIN, provider, password="a long test password")

    def password():
        page.goto("/sign-in/")
        page.get_by_label("Email address or username").fill(admin.username)
        page.get_by_label("Password").fill("a long test password")
        page.get_by_role("button", name="Sign in").click()

    password()
    assert page.get_by_role("heading", level=1).inner_text() == "Set up your authenticator app"
    assert page.locator(".cm-qr svg").is_visible()
    assert accessibility_violations(page) == []
    pending = TOTPDevice.objects.get(user=admin, confirmed=False)  # what the phone reads from the QR code
    page.get_by_label("Enter the 6-digit code the app shows").fill(
        f"{TOTP(pending.bin_key, pending.step, pending.t0, pending.digits).token():06d}")
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".cm-recovery-codes li").count() == 10
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="I have kept them: continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Provider administrator dashboard"
    page.get_by_role("button", name="Sign out").click()

    password()
    assert page.get_by_role("heading", level=1).inner_text() == "Enter the code from your authenticator app"
    page.get_by_label("Code").fill("123")
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert accessibility_violations(page) == []
    page.wait_for_timeout(1100)  # a wrong code pauses the next for a second
    page.get_by_label("Code").fill(code_from(TOTPDevice.objects.get(user=admin)))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Provider administrator dashboard"
