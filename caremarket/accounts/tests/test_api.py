import datetime as dt
import json

import pytest
from django.test import Client

from caremarket.accounts.models import ApiToken
from caremarket.audit.models import AuditEvent
from caremarket.organisations.models import Organisation


@pytest.fixture
def token(provider_admin):
    _, key = ApiToken.issue(provider_admin, "Call monitoring feed")
    return key


def _in_days(days):
    from caremarket.core import clock

    return (clock.today() + dt.timedelta(days=days)).strftime("%d/%m/%Y")


def _api(key=None):
    return Client(headers={"Authorization": f"Bearer {key}"} if key else {})


def test_a_system_calls_the_api_with_a_token(token, provider_admin):
    response = _api(token).get("/api/me")
    assert response.status_code == 200
    assert response.json()["username"] == provider_admin.username
    assert ApiToken.objects.get().last_used_at is not None


def test_a_tokens_last_use_is_written_at_most_every_few_minutes(token):
    from caremarket.core import clock

    start = dt.datetime(2026, 11, 30, 9, 0, tzinfo=clock.LONDON)
    with clock.frozen(start):
        _api(token).get("/api/me")
    with clock.frozen(start + dt.timedelta(minutes=4)):
        _api(token).get("/api/me")
        assert ApiToken.objects.get().last_used_at == start  # not written again so soon
    with clock.frozen(start + dt.timedelta(minutes=5)):
        _api(token).get("/api/me")
        assert ApiToken.objects.get().last_used_at == start + dt.timedelta(minutes=5)


def test_only_the_tokens_hash_is_stored(token):
    stored = ApiToken.objects.get()
    assert token not in (stored.key_hash, stored.key_hint)
    assert stored.key_hash == ApiToken.hash_key(token)


@pytest.mark.parametrize("key", ["cm_not-a-real-token", ""])
def test_a_wrong_token_gets_one_clear_error(key, token):
    response = _api(key or None).get("/api/me")
    assert response.status_code == 401
    assert response.json() == {"errors": [{"field": "", "message": "Sign in or send a valid API token"}]}


def test_a_revoked_token_no_longer_works(token):
    ApiToken.objects.update(revoked_at="2026-01-01T00:00:00Z")
    assert _api(token).get("/api/me").status_code == 401


def test_a_provider_updates_its_own_contact_details_and_the_change_is_audited(token, provider):
    response = _api(token).patch(
        f"/api/organisations/{provider.pk}", {"email": "office@acorn.example", "postcode": "b23 6sd",
                                              "reason": "New office"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    provider.refresh_from_db()
    assert (provider.email, provider.postcode) == ("office@acorn.example", "B23 6SD")
    event = AuditEvent.objects.get()
    assert event.action == "organisation.contact_changed" and event.reason == "New office"
    assert event.before["email"] == "" and event.after["email"] == "office@acorn.example"


@pytest.mark.parametrize("body, field, message", [
    ({"email": "not-an-email"}, "body.email", "Enter a valid email address"),
    ({"postcode": "nowhere"}, "body.postcode", "is not a UK postcode"),
    ({"phone": "0" * 31}, "body.phone", "at most 30 characters"),
    ({"email": 12}, "body.email", "valid string"),
    # What the enrolment page refuses to leave empty, the API refuses too.
    ({"address": ""}, "body.address", "Enter your organisation's address"),
    ({"address": None}, "body.address", "Enter your organisation's address"),
    ({"email": "  "}, "body.email", "Enter your organisation's email address"),
    ({"postcode": None}, "body.postcode", "Enter your organisation's postcode"),
    ({"reason": "Moved\noffice"}, "body.reason", "line break"),
])
def test_bad_input_names_the_field_and_stores_nothing(token, provider, body, field, message):
    response = _api(token).patch(f"/api/organisations/{provider.pk}", body, content_type="application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == field and message in errors[0]["message"], errors
    provider.refresh_from_db()
    assert provider.email == "" and provider.postcode == ""
    assert AuditEvent.objects.count() == 0


def test_a_body_that_is_not_json_gets_a_clear_error(token, provider):
    response = _api(token).patch(f"/api/organisations/{provider.pk}", "{email: oops",
                                 content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{
        "field": "body",
        "message": "The request body is not valid JSON: Expecting property name enclosed in double quotes "
                   "at line 1, column 2",
    }]
    assert Organisation.objects.get(pk=provider.pk).email == ""


def test_provider_staff_cannot_change_their_organisation(make_user, provider):
    from caremarket.accounts.roles import Role

    _, key = ApiToken.issue(make_user(Role.PROVIDER_STAFF, provider), "staff")
    response = _api(key).patch(f"/api/organisations/{provider.pk}", {"email": "a@b.example"},
                               content_type="application/json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == "You cannot change this organisation's details"


def test_the_openapi_document_describes_the_api(client):
    document = client.get("/api/openapi.json").json()
    assert document["info"]["title"] == "Caremarket API"
    assert "/api/organisations/{organisation_id}" in document["paths"]
    assert "BearerToken" in json.dumps(document["components"]["securitySchemes"])


def test_the_interactive_docs_load_their_assets_locally(client):
    page = client.get("/api/docs").content.decode()
    assert "/assets/ninja/swagger-ui-bundle.js" in page and "cdn" not in page.lower()


def test_a_person_creates_a_token_sees_it_once_and_can_revoke_it(provider_admin, signed_in):
    client = signed_in(provider_admin)
    page = client.post("/api-tokens/", {"name": "Call monitoring feed", "scopes": ["people:read"],
                                        "expires_on": _in_days(30)}).content.decode()
    key = page.split('<code class="cm-hash">')[1].split("</code>")[0]
    assert _api(key).get("/api/me").status_code == 200
    assert key not in client.get("/api-tokens/").content.decode()
    token = ApiToken.objects.get()
    assert client.post(f"/api-tokens/{token.pk}/revoke/").status_code == 302
    assert _api(key).get("/api/me").status_code == 401
    assert list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)) == [
        "api_token.issued", "api_token.revoked"]


def test_a_token_needs_a_name(provider_admin, signed_in):
    page = signed_in(provider_admin).post("/api-tokens/", {"name": "", "scopes": ["people:read"],
                                                           "expires_on": _in_days(30)}).content.decode()
    assert "Enter what will use this token" in page and not ApiToken.objects.exists()
