"""Council staff sign in through the council's identity provider: a real OpenID Connect provider
(the stand-in, django-oauth-toolkit) started as its own process on 127.0.0.1. The person is
matched by the provider's subject, their role comes from their groups at every sign-in, and an
expired, tampered or misdirected token signs nobody in."""

import re
import sys
from urllib.parse import urljoin

import pytest
import requests
from django.test import Client

from caremarket.accounts import sign_on_rules
from caremarket.accounts.models import GroupRole, User
from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.core.local_processes import free_port, running

CLIENT_ID, SECRET = "caremarket", "a-client-secret-for-the-tests"
ANN, PASSWORD = "ann.broker@council.example", "directory-password"


class Provider:
    def __init__(self, port):
        self.url = f"http://127.0.0.1:{port}"
        self.issuer = f"{self.url}/o"

    def set_groups(self, username, groups):
        requests.post(f"{self.url}/control/groups", json={"username": username, "groups": groups}).raise_for_status()


def _start(mode):
    port = free_port()
    command = [sys.executable, "-m", "standin.identity_provider", "--port", str(port), "--client-id", CLIENT_ID,
               "--client-secret", SECRET, "--redirect-uri", "http://testserver/oidc/callback/",
               "--person", f"{ANN}:{PASSWORD}:Caremarket brokers", "--mode", mode]
    return running(command, port), Provider(port)


@pytest.fixture(scope="module")
def honest_provider():
    process, provider = _start("honest")
    with process:
        yield provider


@pytest.fixture
def sso(settings, council, honest_provider):
    """Single sign-on set up against a provider: sso(provider) (the honest one by default)."""
    GroupRole.objects.create(group="Caremarket brokers", role=Role.BROKERAGE_OFFICER, order=1)
    GroupRole.objects.create(group="Caremarket finance", role=Role.FINANCE_OFFICER, order=2)

    def point_at(provider=honest_provider):
        settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, SECRET
        settings.OIDC_OP_ISSUER = provider.issuer
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.issuer}/authorize/"
        settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.issuer}/token/"
        settings.OIDC_OP_USER_ENDPOINT = f"{provider.issuer}/userinfo/"
        settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.issuer}/.well-known/jwks.json"
        return provider

    honest_provider.set_groups(ANN, ["Caremarket brokers"])
    return point_at


def _sign_in_through_the_provider(client, username=ANN, password=PASSWORD):
    """What a browser does: off to the provider, sign in there, back to Caremarket's callback."""
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302, start
    assert "code_challenge=" in start["Location"] and "code_challenge_method=S256" in start["Location"]  # PKCE
    browser = requests.Session()
    form = browser.get(start["Location"])
    following = re.search(r'name="next" value="([^"]*)"', form.text).group(1).replace("&amp;", "&")
    answer = browser.post(form.url, allow_redirects=False, data={
        "username": username, "password": password, "next": following,
        "csrfmiddlewaretoken": browser.cookies["csrftoken"]})
    while not answer.headers["Location"].startswith("http://testserver/"):
        answer = browser.get(urljoin(answer.url, answer.headers["Location"]), allow_redirects=False)
    return client.get(answer.headers["Location"].removeprefix("http://testserver"), follow=True)


def _signed_in_as(client):
    return client.get("/api/me").json().get("username") if client.get("/api/me").status_code == 200 else None


# --- the rules ---------------------------------------------------------------------------------

GOOD = {"iss": "https://login.council.example", "aud": "caremarket", "exp": 2_000, "iat": 1_000, "sub": "u-1"}


@pytest.mark.parametrize("change, problem", [
    ({}, None),
    ({"iss": "https://evil.example"}, "not the council's identity provider"),
    ({"aud": "another-service"}, "issued for another service"),
    ({"aud": ["caremarket", "payroll"]}, "not authorised for Caremarket"),
    ({"aud": ["caremarket", "payroll"], "azp": "caremarket"}, None),
    ({"exp": 1_000}, "has expired"),
    ({"exp": None}, "has expired"),
    ({"iat": 1_200}, "issued in the future"),
    ({"sub": ""}, "does not say who"),
])
def test_an_id_token_is_believed_only_from_the_councils_provider_for_caremarket_and_in_date(change, problem):
    found = sign_on_rules.id_token_problem({**GOOD, **change}, issuer=GOOD["iss"], client_id="caremarket", now=1_100)
    assert (found is None) if problem is None else (problem in found)


def test_the_first_mapped_group_gives_the_role():
    mapping = [("Brokers", "brokerage_officer"), ("Finance", "finance_officer")]
    assert sign_on_rules.role_from_groups(["Finance", "Brokers"], mapping) == "brokerage_officer"
    assert sign_on_rules.role_from_groups(["Payroll"], mapping) is None
    assert sign_on_rules.role_from_groups(None, mapping) is None


# --- the journey ----------------------------------------------------------------------------------

def test_a_council_officer_signs_in_through_the_councils_provider_and_is_matched_by_subject(sso, council):
    sso()
    client = Client()
    page = _sign_in_through_the_provider(client)
    assert page.status_code == 200 and _signed_in_as(client) == ANN
    person = User.objects.get()
    assert (person.role, person.organisation, person.has_usable_password()) == (
        Role.BROKERAGE_OFFICER, council, False)
    assert person.sso_subject and AuditEvent.objects.filter(action="person.added").count() == 1
    again = Client()
    _sign_in_through_the_provider(again)
    assert _signed_in_as(again) == ANN and User.objects.count() == 1


def test_a_change_of_groups_changes_the_role_and_no_mapped_group_takes_it_away(sso, honest_provider):
    sso()
    _sign_in_through_the_provider(Client())
    honest_provider.set_groups(ANN, ["Caremarket finance", "Payroll"])
    _sign_in_through_the_provider(Client())
    assert User.objects.get().role == Role.FINANCE_OFFICER
    honest_provider.set_groups(ANN, ["Payroll"])  # a group Caremarket does not know
    client = Client()
    page = _sign_in_through_the_provider(client).content.decode()
    assert "not in a group that gives a role in Caremarket" in page.replace("&#x27;", "'")
    assert _signed_in_as(client) is None and User.objects.get().role == ""
    assert AuditEvent.objects.filter(action="person.role_removed").exists()


def test_nobody_in_a_mapped_group_gets_no_account(sso, honest_provider):
    sso()
    honest_provider.set_groups(ANN, ["Payroll"])
    client = Client()
    _sign_in_through_the_provider(client)
    assert _signed_in_as(client) is None and not User.objects.exists()


def test_an_existing_account_with_the_same_email_is_not_taken_over(sso, make_user, council):
    sso()
    make_user(Role.COMMISSIONER, council, username=ANN)
    client = Client()
    page = _sign_in_through_the_provider(client).content.decode()
    assert "already a Caremarket account with your email address" in page
    assert _signed_in_as(client) is None
    assert User.objects.get().sso_subject is None


@pytest.mark.parametrize("mode, why", [("expired", "Signature has expired"),
                                       ("wrong-audience", "issued for another service"),
                                       ("tampered", "JWS token verification failed")])
def test_a_bad_id_token_signs_nobody_in(sso, mode, why, caplog):
    process, provider = _start(mode)
    with process:
        sso(provider)
        client = Client()
        page = _sign_in_through_the_provider(client).content.decode()
    assert "Signing in with your council account did not work" in page and "<h1 class=\"govuk-heading-l\">Sign in</h1>" in page
    assert why in caplog.text  # refused for the right reason
    assert _signed_in_as(client) is None and not User.objects.exists()


def test_with_single_sign_on_on_council_staff_cannot_use_a_password_and_providers_still_can(
        sso, make_user, council, provider):
    sso()
    password = "a long local password"
    officer = make_user(Role.COMMISSIONER, council, password=password)
    admin = make_user(Role.PROVIDER_ADMIN, provider, password=password)
    refused = Client().post("/sign-in/", {"username": officer.username, "password": password})
    assert "Council staff sign in with their council account" in refused.content.decode()
    assert Client().post("/sign-in/", {"username": admin.username, "password": password}).status_code == 302
    assert "Sign in with your council account" in Client().get("/sign-in/").content.decode()


def test_without_single_sign_on_there_is_no_council_button_and_no_way_to_start_it(client):
    assert "Sign in with your council account" not in client.get("/sign-in/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
