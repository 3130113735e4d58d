"""A council officer signs in through the council's identity provider in a real browser: the
stand-in provider (its own process), its sign-in page, back to their dashboard; axe on
Caremarket's pages on the way."""

import sys

import pytest

from caremarket.accounts.models import GroupRole
from caremarket.accounts.roles import Role
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
