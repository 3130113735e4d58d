"""Joiners, movers and leavers from the council's directory over SCIM 2.0: the identity
provider creates, finds, changes and closes the council's accounts with a scoped API token; a
closed account's sessions and tokens stop at once; nobody else's people can be reached."""

import json

import pytest
from django.test import Client

from caremarket.accounts.models import ApiToken, User
from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent

SCIM = "application/scim+json"
ANN = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "Ann.Broker@council.example",
       "name": {"givenName": "Ann", "familyName": "Broker"}, "active": True,
       "emails": [{"value": "Ann.Broker@council.example", "primary": True}], "password": "never-kept"}


@pytest.fixture
def directory(make_user, council):
    """The identity provider's client: an API token for the council, scoped directory:write."""
    admin = make_user(Role.COMMISSIONER, council, username="it.admin@council.example")
    key = ApiToken.issue(admin, "Entra ID provisioning", scopes=["directory:write"])[1]
    return Client(headers={"Authorization": f"Bearer {key}"})


def _post(client, body):
    return client.post("/scim/v2/Users", json.dumps(body), content_type=SCIM)


def test_the_directory_creates_finds_and_changes_a_council_account(directory, council):
    created = _post(directory, ANN)
    assert created.status_code == 201, created.content
    person = User.objects.get(username="ann.broker@council.example")
    assert (person.organisation, person.role, person.has_usable_password()) == (council, "", False)
    scim_id = created.json()["id"]
    found = directory.get('/scim/v2/Users?filter=userName eq "ann.broker@council.example"').json()
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == scim_id
    changed = directory.patch(f"/scim/v2/Users/{scim_id}", json.dumps({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "name.familyName", "value": "Okafor"}]}), content_type=SCIM)
    assert changed.status_code == 200, changed.content
    assert User.objects.get(pk=person.pk).last_name == "Okafor"
    assert [e.reason for e in AuditEvent.objects.filter(object_id=str(person.pk))] == [
        "From the council's directory"] * 2
    assert _post(directory, ANN).status_code == 409  # the same person twice is refused, not doubled
    taken = directory.patch(f"/scim/v2/Users/{scim_id}", json.dumps({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "userName", "value": "IT.Admin@council.example"}]}),
        content_type=SCIM)
    assert taken.status_code == 409 and User.objects.get(pk=person.pk).username == "ann.broker@council.example"


def test_a_leaver_is_closed_signed_out_everywhere_and_their_tokens_stop(directory, make_user, council, signed_in):
    leaver = make_user(Role.FINANCE_OFFICER, council, username="lee.leaver@council.example")
    browser = signed_in(leaver)
    key = ApiToken.issue(leaver, "spreadsheet", scopes=["payments:read"])[1]
    closed = directory.patch(f"/scim/v2/Users/{leaver.scim_id}", json.dumps({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "value": {"active": False}}]}), content_type=SCIM)
    assert closed.status_code == 200, closed.content
    assert not User.objects.get(pk=leaver.pk).is_active
    assert browser.get("/notifications/")["Location"].startswith("/sign-in/")
    assert Client(headers={"Authorization": f"Bearer {key}"}).get("/api/payments/invoices").status_code == 401
    assert directory.delete(f"/scim/v2/Users/{leaver.scim_id}").status_code == 204
    assert User.objects.filter(pk=leaver.pk, is_active=False).exists()  # closed, never deleted


def test_the_directory_cannot_reach_another_organisations_people(directory, provider_admin):
    assert directory.get(f"/scim/v2/Users/{provider_admin.scim_id}").status_code == 404
    patched = directory.patch(f"/scim/v2/Users/{provider_admin.scim_id}", json.dumps({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "value": {"active": False}}]}), content_type=SCIM)
    assert patched.status_code == 404 and User.objects.get(pk=provider_admin.pk).is_active
    found = directory.get(f'/scim/v2/Users?filter=userName eq "{provider_admin.username}"').json()
    assert found["totalResults"] == 0


def test_without_the_right_token_the_directory_service_answers_nothing(make_user, council, provider_admin):
    assert Client().get("/scim/v2/Users").status_code == 401
    reader = ApiToken.issue(make_user(Role.COMMISSIONER, council), "reader", scopes=["people:read"])[1]
    assert Client(headers={"Authorization": f"Bearer {reader}"}).get("/scim/v2/Users").status_code == 403
    providers = ApiToken.issue(provider_admin, "provider", scopes=["directory:write"])[1]
    refused = _post(Client(headers={"Authorization": f"Bearer {providers}"}), ANN)
    assert refused.status_code == 403 and not User.objects.filter(username__startswith="ann").exists()


@pytest.mark.parametrize("body, status", [
    ({**ANN, "userName": "not an address", "emails": []}, 400),
    ({"schemas": ANN["schemas"]}, 400),
])
def test_bad_input_is_refused_and_nothing_is_stored(directory, body, status):
    before = User.objects.count()
    assert _post(directory, body).status_code == status
    assert User.objects.count() == before
    assert directory.post("/scim/v2/Users", "{not json", content_type=SCIM).status_code == 400
